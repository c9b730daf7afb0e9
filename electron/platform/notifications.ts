/**
 * Desktop notifications through Electron's Notification; a click calls back with the view
 * the notification is about. Shown notifications are kept referenced until closed, so their
 * click handler is not garbage-collected on Windows.
 */
import { Notification } from 'electron';
import type { NotificationView, ShellNotification } from '../shell/notifications';

const live = new Set<Notification>();

export function showNotification(notification: ShellNotification, onClick: (view: NotificationView) => void): void {
  if (!Notification.isSupported()) return;
  const note = new Notification({ title: notification.title, body: notification.body });
  live.add(note);
  note.on('click', () => onClick(notification.view));
  note.on('close', () => live.delete(note));
  note.show();
}
