/**
 * The view switcher: a row of real buttons (not links: nothing navigates), the current one
 * marked with aria-current. Ctrl/Cmd+1..4 jump between views from anywhere (App binds them).
 */
export type ViewId = 'compose' | 'accounts' | 'outbox' | 'settings';

export const VIEWS: ReadonlyArray<{ id: ViewId; label: string }> = [
  { id: 'compose', label: 'Quick send' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'outbox', label: 'Outbox' },
  { id: 'settings', label: 'Settings' },
];

type Props = {
  current: ViewId;
  onSelect(view: ViewId): void;
  badges: Partial<Record<ViewId, { count: number; label: string; alert?: boolean }>>;
};

export function Nav({ current, onSelect, badges }: Props) {
  return (
    <nav className="nav" aria-label="Views">
      {VIEWS.map((view, index) => {
        const badge = badges[view.id];
        return (
          <button
            key={view.id}
            type="button"
            className="nav-item"
            aria-current={current === view.id ? 'page' : undefined}
            aria-keyshortcuts={`Control+${index + 1} Meta+${index + 1}`}
            onClick={() => onSelect(view.id)}
          >
            {view.label}
            {badge && badge.count > 0 && (
              <>
                <span className={badge.alert ? 'badge badge-alert' : 'badge'} aria-hidden="true">
                  {badge.count}
                </span>
                <span className="visually-hidden"> ({badge.label})</span>
              </>
            )}
          </button>
        );
      })}
    </nav>
  );
}
