import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { account, fail, fakeFileId, historyEntry, ok, outboxItem, provider } from '../../fakes/fake-api';
import { goTo, renderApp } from './render';

const ada = account();
const withAccount = { accounts: [ada] };
const to = () => screen.getByRole('textbox', { name: 'To' });
const chips = (label = 'To') =>
  within(screen.getByRole('list', { name: `${label} recipients` }))
    .queryAllByRole('listitem')
    .map((li) => li.textContent!.replace('×', '').trim());
const sendButton = () => screen.getByRole('button', { name: /^Send/ });
const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
/** Types an address into To and presses Enter, as a person would before clicking Send. */
const addTo = (address: string) => {
  type(to(), address);
  fireEvent.keyDown(to(), { key: 'Enter' });
};

async function ready(initial = {}) {
  const r = renderApp({ ...withAccount, ...initial });
  await screen.findByRole('option', { name: /ada@example.com/ });
  // The default account is applied to the draft after its option renders; wait for that too.
  await waitFor(() => expect((screen.getByRole('combobox', { name: 'From' }) as HTMLSelectElement).value).toBe(ada.id));
  return r;
}

describe('quick send', () => {
  test('is the default view, with the cursor in To and the account preselected', async () => {
    await ready();
    expect(document.activeElement).toBe(to());
    expect((screen.getByRole('combobox', { name: 'From' }) as HTMLSelectElement).value).toBe(ada.id);
  });

  test('the default account from settings is preselected', async () => {
    const grace = account({ id: 'acc-2', address: 'grace@example.org', displayName: '' });
    renderApp({ accounts: [ada, grace], settings: { ...createSettings(), defaultAccountId: 'acc-2' } });
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: 'From' }) as HTMLSelectElement).value).toBe('acc-2'),
    );
  });

  test('the default account wins even when the settings answer after the accounts', async () => {
    const grace = account({ id: 'acc-2', address: 'grace@example.org', displayName: '' });
    let answerSettings: () => void = () => {};
    const { fake } = renderApp(
      { accounts: [ada, grace], settings: { ...createSettings(), defaultAccountId: 'acc-2' } },
      (f) => {
        const settingsLater = new Promise<void>((resolve) => (answerSettings = resolve));
        f.override('settings:get', async () => {
          await settingsLater;
          return ok({ ...createSettings(), defaultAccountId: 'acc-2' });
        });
      },
    );
    await waitFor(() => expect(fake.requests('accounts:list').length).toBeGreaterThan(0));
    await screen.findByRole('option', { name: /grace@example\.org/ });
    answerSettings();
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: 'From' }) as HTMLSelectElement).value).toBe('acc-2'),
    );
  });

  test('Enter, comma and Tab make chips; Backspace takes the last one back for editing', async () => {
    await ready();
    type(to(), 'ada@example.com');
    fireEvent.keyDown(to(), { key: 'Enter' });
    type(to(), 'bob@example.com');
    fireEvent.keyDown(to(), { key: ',' });
    type(to(), 'carol@example.com');
    fireEvent.keyDown(to(), { key: 'Tab' });
    expect(chips()).toEqual(['ada@example.com', 'bob@example.com', 'carol@example.com']);
    fireEvent.keyDown(to(), { key: 'Backspace' });
    expect(chips()).toEqual(['ada@example.com', 'bob@example.com']);
    expect((to() as HTMLInputElement).value).toBe('carol@example.com');
  });

  test('pasting a list makes one chip per address and marks the invalid one', async () => {
    await ready();
    fireEvent.paste(to(), {
      clipboardData: { getData: () => 'Ada <ada@example.com>; bob@example.com\nnot-an-address\ncarol@example.com' },
    });
    expect(chips()).toEqual(['Ada', 'bob@example.com', 'not-an-address (not a valid address)', 'carol@example.com']);
    fireEvent.click(sendButton());
    expect(await screen.findByText('“not-an-address” is not an email address.')).toBeTruthy();
    expect(to().getAttribute('aria-invalid')).toBe('true');
  });

  test('sending with no recipient says so next to To and sends nothing', async () => {
    const { fake } = await ready();
    fireEvent.click(sendButton());
    expect(await screen.findByText('Add at least one recipient.')).toBeTruthy();
    expect(document.activeElement).toBe(to());
    expect(fake.requests('mail:send')).toEqual([]);
  });

  test('without an account, From offers to add one', async () => {
    renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Add account' }));
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeTruthy();
  });

  test('Ctrl+Enter sends, including an address still being typed; the Undo toast counts down', async () => {
    const { fake } = await ready();
    type(to(), 'bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Hello Bob' } });
    type(to(), 'carol@example.com');
    fireEvent.keyDown(to(), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(1));
    expect(fake.requests('mail:send')[0]).toEqual({
      accountId: ada.id,
      to: ['carol@example.com'],
      cc: [],
      bcc: [],
      subject: 'Hi',
      text: 'Hello Bob',
      attachments: [],
    });
    expect(await screen.findByText(/Sending in [45] s/)).toBeTruthy();
    // The composer is empty for the next message and the draft is cleared.
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('');
    await waitFor(() => expect(fake.state.draft).toBeNull());
  });

  test('Cmd+Enter in the body sends too', async () => {
    const { fake } = await ready();
    type(to(), 'bob@example.com');
    fireEvent.keyDown(to(), { key: 'Enter' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Enter', metaKey: true });
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(1));
  });

  test('Undo calls outbox:cancel and puts the message back', async () => {
    const { fake } = await ready();
    type(to(), 'bob@example.com');
    fireEvent.keyDown(to(), { key: 'Enter' });
    fireEvent.click(screen.getByRole('button', { name: 'Cc/Bcc' }));
    const cc = screen.getByRole('textbox', { name: 'Cc' });
    type(cc, 'carol@example.com');
    fireEvent.keyDown(cc, { key: 'Enter' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Oops' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Not yet' } });
    fireEvent.click(sendButton());
    fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(fake.requests('outbox:cancel')).toEqual([{ id: expect.stringMatching(/^msg-/) }]));
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Not yet'),
    );
    expect(chips()).toEqual(['bob@example.com']);
    expect(chips('Cc')).toEqual(['carol@example.com']);
    expect((screen.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Oops');
    expect(screen.queryByTestId('send-status')).toBeNull();
    expect(fake.state.outbox.items).toEqual([]);
  });

  test('Ctrl+Z right after sending undoes it (the empty To field does not count as typing)', async () => {
    const { fake } = await ready();
    addTo('bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.keyDown(to(), { key: 'Enter', ctrlKey: true });
    await screen.findByRole('button', { name: 'Undo' });
    type(to(), 'x');
    fireEvent.keyDown(to(), { key: 'z', ctrlKey: true });
    expect(fake.requests('outbox:cancel')).toEqual([]);
    type(to(), '');
    fireEvent.keyDown(to(), { key: 'z', ctrlKey: true });
    await waitFor(() => expect(fake.requests('outbox:cancel')).toHaveLength(1));
    await waitFor(() => expect(chips()).toEqual(['bob@example.com']));
  });

  test('Undo that comes too late says so', async () => {
    const { fake } = await ready();
    fake.override('outbox:cancel', () => ({ ok: true, value: { cancelled: false, draft: null } }));
    addTo('bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.click(sendButton());
    fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(await screen.findByText(/Too late to undo/)).toBeTruthy();
  });

  test('no subject asks once, the second Send goes', async () => {
    const { fake } = await ready();
    addTo('bob@example.com');
    fireEvent.click(sendButton());
    expect(await screen.findByText(/No subject\. Press Send again/)).toBeTruthy();
    expect(fake.requests('mail:send')).toHaveLength(0);
    fireEvent.click(sendButton());
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(1));
  });

  test('a send failure shows the message and the hint', async () => {
    const { fake } = await ready();
    fake.override('mail:send', () =>
      fail('smtp.permanent', 'Gmail refused bob@example.com.', 'Check the address for typos.'),
    );
    addTo('bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.click(sendButton());
    const alert = await screen.findByText('Gmail refused bob@example.com.');
    expect(alert.closest('[role="alert"]')!.textContent).toContain('Check the address for typos.');
    // Nothing was lost.
    expect(chips()).toEqual(['bob@example.com']);
  });

  test('a message queued while offline says so and when it will be tried', async () => {
    const { fake } = await ready({ settings: { ...createSettings(), undoDelaySeconds: 0 } });
    addTo('bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Hi' } });
    fireEvent.click(sendButton());
    await waitFor(() => expect(fake.state.outbox.items).toHaveLength(1));
    const id = fake.state.outbox.items[0]!.id;
    act(() =>
      fake.setOutbox({
        paused: false,
        items: [
          outboxItem({
            id,
            state: 'retrying',
            attempts: 1,
            nextAttemptAt: new Date(Date.now() + 60_000).toISOString(),
            lastError: {
              code: 'smtp.transient',
              message: 'No network connection.',
              hint: 'It goes out when you are back online.',
            },
          }),
        ],
      }),
    );
    const status = await screen.findByTestId('send-status');
    await waitFor(() => expect(status.textContent).toMatch(/Waiting to send: No network connection\. Next try at/));
    expect(status.textContent).toContain('It goes out when you are back online.');
    act(() => fake.setOutbox({ paused: false, items: [] }));
    await waitFor(() => expect(status.textContent).toContain('Sent.'));
  });

  test('attachments: Attach… adds chosen files, refuses problem files in plain words, and sums the encoded size', async () => {
    const { fake } = await ready();
    fake.state.chosenFiles = [
      { fileId: fakeFileId(), name: 'a.pdf', sizeBytes: 3 * 1024 * 1024, problem: null },
      { fileId: fakeFileId(), name: 'photos', sizeBytes: 0, problem: 'This is a folder.' },
    ];
    fireEvent.click(screen.getByRole('button', { name: /Attach/ }));
    expect(await screen.findByText('a.pdf')).toBeTruthy();
    expect(screen.getByText('3 MB')).toBeTruthy();
    expect(screen.getByText('photos: This is a folder.')).toBeTruthy();
    expect(screen.getByTestId('encoded-size').textContent).toBe('4.1 MB of 25 MB once encoded');
    fireEvent.click(screen.getByRole('button', { name: 'Remove attachment a.pdf' }));
    expect(screen.queryByText('a.pdf')).toBeNull();
  });

  test('attached files are sent and saved by file id only; Undo takes the ids main hands back', async () => {
    const { fake } = await ready();
    const picked = { fileId: fakeFileId(), name: 'plan.pdf', sizeBytes: 1000, problem: null };
    fake.state.chosenFiles = [picked];
    addTo('bob@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Plan' } });
    fireEvent.click(screen.getByRole('button', { name: /Attach/ }));
    await screen.findByText('plan.pdf');
    await waitFor(
      () =>
        expect(fake.state.draft?.attachments).toEqual([{ fileId: picked.fileId, name: 'plan.pdf', sizeBytes: 1000 }]),
      { timeout: 2000 },
    );
    fireEvent.click(sendButton());
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(1));
    expect((fake.requests('mail:send')[0] as { attachments: unknown }).attachments).toEqual([
      { fileId: picked.fileId },
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    await screen.findByText('plan.pdf');
    fireEvent.click(sendButton());
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(2));
    const again = (fake.requests('mail:send')[1] as { attachments: Array<{ fileId: string }> }).attachments;
    expect(again).toEqual([{ fileId: expect.any(String) }]);
    expect(again[0]!.fileId).not.toBe(picked.fileId);
  });

  test('compose:open with files from main attaches them by id', async () => {
    const { fake } = await ready();
    const report = { fileId: fakeFileId(), name: 'report.txt', sizeBytes: 16, problem: null };
    act(() =>
      fake.emit('compose:open', {
        to: [],
        cc: [],
        bcc: [],
        subject: '',
        text: '',
        attachments: [
          report,
          { fileId: fakeFileId(), name: 'gone.txt', sizeBytes: 0, problem: 'This file no longer exists.' },
        ],
      }),
    );
    expect(await screen.findByText('report.txt')).toBeTruthy();
    expect(screen.getByText('gone.txt: This file no longer exists.')).toBeTruthy();
    await waitFor(
      () =>
        expect(fake.state.draft?.attachments).toEqual([{ fileId: report.fileId, name: 'report.txt', sizeBytes: 16 }]),
      { timeout: 2000 },
    );
  });

  test('too large for the account is flagged at once, next to the attachments', async () => {
    await ready({
      providers: [provider({ attachmentLimitBytes: 10 * 1024 * 1024 })],
      draft: {
        accountId: ada.id,
        to: ['bob@example.com'],
        cc: [],
        bcc: [],
        subject: 's',
        text: '',
        attachments: [{ fileId: fakeFileId(), name: 'v.mp4', sizeBytes: 8 * 1024 * 1024 }],
      },
    });
    expect(
      await screen.findByText(/Too large to send: about 11 MB once encoded, and this account allows 10 MB/),
    ).toBeTruthy();
  });

  test('files dropped anywhere on the window go through the bridge as File objects', async () => {
    const { fake } = await ready();
    goTo('Settings');
    const files = [new File(['x'.repeat(2048)], 'notes.txt')];
    const drop = (type: string) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
      act(() => void window.dispatchEvent(event));
      return event;
    };
    drop('dragenter');
    expect(screen.getByText('Drop files to attach')).toBeTruthy();
    expect(drop('drop').defaultPrevented).toBe(true);
    expect(await screen.findByText('notes.txt')).toBeTruthy();
    expect(fake.requests('files:describeDropped')).toEqual([['notes.txt']]);
    expect(screen.getByRole('region', { name: 'Quick send' }).hidden).toBe(false);
    expect(screen.queryByText('Drop files to attach')).toBeNull();
  });

  test('the draft is restored on open and saved as you type', async () => {
    const { fake } = await ready({
      draft: {
        accountId: ada.id,
        to: ['Bob <bob@example.com>'],
        cc: [],
        bcc: ['boss@example.com'],
        subject: 'Later',
        text: 'Half-written',
        attachments: [],
      },
    });
    await waitFor(() =>
      expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe('Half-written'),
    );
    expect(chips()).toEqual(['Bob']);
    expect(chips('Bcc')).toEqual(['boss@example.com']);
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Half-written, now more' } });
    await waitFor(() => expect(fake.state.draft?.text).toBe('Half-written, now more'), { timeout: 2000 });
    expect(fake.state.draft?.to).toEqual(['Bob <bob@example.com>']);
    expect(await screen.findByText('Draft saved')).toBeTruthy();
  });

  test('mailto: (compose:open) prefills the composer and shows it', async () => {
    const { fake } = await ready();
    goTo('Outbox');
    act(() =>
      fake.emit('compose:open', {
        to: ['bob@example.com'],
        cc: ['carol@example.com'],
        bcc: [],
        subject: 'From a link',
        text: 'Body',
        attachments: [],
      }),
    );
    expect(screen.getByRole('region', { name: 'Quick send' }).hidden).toBe(false);
    expect(chips()).toEqual(['bob@example.com']);
    expect(chips('Cc')).toEqual(['carol@example.com']);
    expect((screen.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('From a link');
  });

  test('Write again while another message is being written asks first: Keep mine leaves both alone, Replace takes it back', async () => {
    const failed = outboxItem({
      id: 'm1',
      subject: 'Minutes',
      state: 'failed',
      to: ['bob@example.org'],
      deliveredTo: ['ada@example.org'],
      refused: [{ address: 'bob@example.org', reply: '550 5.1.1 User unknown' }],
    });
    const { fake } = await ready({ outbox: { paused: false, items: [failed] } });
    addTo('dan@example.com');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Mine' } });
    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Write again: Minutes' }));
    const question = await screen.findByText(
      'You are writing another message. Replace it with the message to write again?',
    );
    fireEvent.click(
      within(question.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Keep mine' }),
    );
    expect(fake.requests('outbox:cancel')).toEqual([]);
    expect(chips()).toEqual(['dan@example.com']);
    expect(fake.state.outbox.items).toHaveLength(1);

    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Write again: Minutes' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(chips()).toEqual(['bob@example.org']));
    expect(fake.requests('outbox:cancel')).toEqual([{ id: 'm1' }]);
    expect((screen.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Minutes');
    expect(screen.queryByText(/Replace it with the message/)).toBeNull();
  });

  test('Write again for a message that already left the outbox says so and changes nothing', async () => {
    const failed = outboxItem({ id: 'm1', subject: 'Minutes', state: 'failed' });
    const { fake } = await ready({ outbox: { paused: false, items: [failed] } });
    fake.override('outbox:cancel', () => ({ ok: true, value: { cancelled: false, draft: null } }));
    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Write again: Minutes' }));
    expect(
      await screen.findByText('That message is no longer in the outbox, so there is nothing to write again.'),
    ).toBeTruthy();
    expect(chips()).toEqual([]);
  });

  test('the toast of a message refused for some recipients says who got it and who did not, not "Not sent"', async () => {
    const { fake } = await ready({ settings: { ...createSettings(), undoDelaySeconds: 0 } });
    addTo('ada@example.org');
    addTo('bob@example.org');
    fireEvent.change(screen.getByRole('textbox', { name: 'Subject' }), { target: { value: 'Minutes' } });
    fireEvent.click(sendButton());
    await waitFor(() => expect(fake.state.outbox.items).toHaveLength(1));
    const id = fake.state.outbox.items[0]!.id;
    const message =
      'Sent to 1 of 2 recipients. Not delivered to bob@example.org: the server said "550 5.1.1 User unknown".';
    act(() =>
      fake.setOutbox({
        paused: false,
        items: [
          outboxItem({
            id,
            state: 'failed',
            to: ['bob@example.org'],
            deliveredTo: ['ada@example.org'],
            refused: [{ address: 'bob@example.org', reply: '550 5.1.1 User unknown' }],
            lastError: { code: 'smtp.recipients_refused', message, hint: 'Check the address for typos.' },
          }),
        ],
      }),
    );
    const toast = await screen.findByTestId('send-status');
    await waitFor(() => expect(toast.textContent).toContain(message));
    expect(toast.textContent).not.toContain('Not sent');
  });

  test('a refused address (a typo, most often) is not suggested again; the others are', async () => {
    await ready({
      history: [
        historyEntry({
          id: 'h1',
          to: ['Bob <bob@exmaple.org>', 'bella@example.org'],
          refused: [{ address: 'bob@exmaple.org', reply: '550 5.1.1 User unknown' }],
        }),
        historyEntry({ id: 'h2', to: ['Bobby <bobby@example.org>'] }),
      ],
      outbox: {
        paused: false,
        items: [
          outboxItem({
            id: 'm1',
            state: 'failed',
            to: ['bert@exmaple.org'],
            refused: [{ address: 'bert@exmaple.org', reply: '550 5.1.1 User unknown' }],
          }),
        ],
      },
    });
    type(to(), 'b');
    await waitFor(() => expect(document.querySelectorAll('datalist option').length).toBeGreaterThan(0));
    expect([...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value')).sort()).toEqual([
      'Bobby <bobby@example.org>',
      'bella@example.org',
    ]);
  });

  test('a file dialog that fails says why and what to do, and attaches nothing', async () => {
    const { fake } = renderApp(withAccount, (f) =>
      f.override('files:choose', () => fail('internal', 'The file dialog could not open.', 'Try again.')),
    );
    await screen.findByRole('option', { name: /ada@example.com/ });
    fireEvent.click(screen.getByRole('button', { name: /Attach/ }));
    expect(await screen.findByText('The file dialog could not open. Try again.')).toBeTruthy();
    expect(fake.requests('files:choose')).toHaveLength(1);
    expect(screen.queryByRole('list', { name: /Attachments/ })).toBeNull();
  });
});

function createSettings() {
  return {
    undoDelaySeconds: 5,
    startAtLogin: false,
    globalShortcut: 'CommandOrControl+Shift+M',
    defaultAccountId: null,
    mailtoHandler: false,
    weakStorageConsent: false,
  };
}
