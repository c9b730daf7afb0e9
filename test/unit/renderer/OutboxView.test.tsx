import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { account, fail, fakeFileId, historyEntry, ok, outboxItem } from '../../fakes/fake-api';
import { goTo, renderApp } from './render';
import type { ErrorInfo } from '../../../electron/ipc/contract';

const soon = () => new Date(Date.now() + 120_000).toISOString();

describe('outbox and history', () => {
  test('empty: nothing waiting, nothing sent', async () => {
    renderApp();
    goTo('Outbox');
    expect(await screen.findByTestId('outbox-empty')).toBeTruthy();
    expect(await screen.findByText('Nothing sent yet.')).toBeTruthy();
  });

  test('waiting with next attempt, failed with reason and hint, sent latest first', async () => {
    renderApp({
      outbox: {
        paused: false,
        items: [
          outboxItem({
            id: 'w',
            subject: 'Slides',
            state: 'retrying',
            attempts: 2,
            nextAttemptAt: soon(),
            lastError: { code: 'smtp.transient', message: 'No network connection.' },
          }),
          outboxItem({
            id: 'f',
            subject: 'Invoice',
            state: 'failed',
            lastError: { code: 'smtp.permanent', message: 'Gmail refused it.', hint: 'Zip the file.' },
          }),
        ],
      },
      history: [
        historyEntry({ id: 'old', subject: 'Older', time: '2030-01-01T10:00:00Z' }),
        historyEntry({ id: 'new', subject: 'Newer', time: '2030-01-02T10:00:00Z' }),
      ],
    });
    goTo('Outbox');
    const waiting = await screen.findByRole('list', { name: 'Waiting' });
    expect(waiting.textContent).toMatch(
      /Slides.*Will retry.*Next try in 2 min.*2 attempts so far.*No network connection\./,
    );
    const failed = screen.getByRole('list', { name: 'Not sent' });
    expect(failed.textContent).toMatch(/Invoice.*Failed.*Gmail refused it\.Zip the file\./);
    const sent = await screen.findByRole('list', { name: 'Sent' });
    expect(
      within(sent)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.message-subject')!.textContent),
    ).toEqual(['Newer', 'Older']);
    expect(screen.getByRole('button', { name: /^Outbox ?\(1 not sent\)$/ })).toBeTruthy();
  });

  test('a message parked for an untrusted server certificate: under "Not sent", with its explanation and Retry', async () => {
    const lastError: ErrorInfo = {
      code: 'smtp.certificate_untrusted',
      message:
        'The mail server mail.corp.example identified itself with a certificate issued by "Corp Root", which this computer does not trust. Nothing was sent to it.',
      hint: 'If your organisation runs this server, get the certificate of "Corp Root" from its administrator and add it in Accounts, on the card of ada@example.com, under "Extra certificate authority".',
    };
    const { fake } = renderApp({
      outbox: {
        paused: false,
        items: [
          outboxItem({
            id: 'u',
            subject: 'Quarterly report',
            state: 'untrusted-server',
            attempts: 1,
            nextAttemptAt: null,
            lastError,
          }),
        ],
      },
    });
    goTo('Outbox');
    const notSent = await screen.findByRole('list', { name: 'Not sent' });
    const row = within(notSent).getByRole('listitem');
    expect(row.textContent).toContain('Server not trusted');
    expect(row.textContent).toContain(lastError.message);
    expect(row.textContent).toContain(lastError.hint);
    expect(screen.getByTestId('outbox-empty')).toBeTruthy(); // not among the waiting ones
    expect(screen.getByRole('button', { name: /^Outbox ?\(1 not sent\)$/ })).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Retry: Quarterly report' }));
    await waitFor(() => expect(fake.requests('outbox:retryNow')).toEqual([{ id: 'u' }]));
  });

  test('a message from another program shows "from <program>" in the outbox and history, and offers no "Write again"', async () => {
    renderApp({
      outbox: {
        paused: false,
        items: [outboxItem({ id: 'r', subject: 'Nightly backup', state: 'failed', via: { program: 'backup script' } })],
      },
      history: [
        historyEntry({ id: 'h', subject: 'Build report', via: { program: 'CI job' } }),
        historyEntry({ id: 'c', subject: 'Composed' }),
      ],
    });
    goTo('Outbox');
    const row = within(await screen.findByRole('list', { name: 'Not sent' })).getByRole('listitem');
    expect(row.textContent).toContain('from “backup script”');
    expect(within(row).queryByRole('button', { name: /Write again/ })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Discard: Nightly backup' })).toBeTruthy();
    const sent = within(await screen.findByRole('list', { name: 'Sent' })).getAllByRole('listitem');
    expect(sent.find((li) => li.textContent?.includes('Build report'))!.textContent).toContain('from “CI job”');
    expect(sent.find((li) => li.textContent?.includes('Composed'))!.textContent).not.toContain('“');
  });

  test('cancel, retry now and pause/resume call their channels; the list follows outbox:changed', async () => {
    const { fake } = renderApp({
      outbox: {
        paused: false,
        items: [
          outboxItem({ id: 'w', subject: 'Slides', nextAttemptAt: soon() }),
          outboxItem({ id: 'f', subject: 'Invoice', state: 'failed' }),
        ],
      },
    });
    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Retry: Invoice' }));
    await waitFor(() => expect(fake.requests('outbox:retryNow')).toEqual([{ id: 'f' }]));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel: Slides' }));
    await waitFor(() => expect(fake.requests('outbox:cancel')).toEqual([{ id: 'w' }]));
    await waitFor(() => expect(screen.queryByText('Slides')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Pause sending' }));
    expect(await screen.findByText('Sending is paused. Messages wait here until you resume.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Resume sending' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Resume sending' }));
    await waitFor(() => expect(fake.requests('outbox:resume')).toHaveLength(1));
    act(() => fake.setOutbox({ paused: false, items: [] }));
    expect(await screen.findByTestId('outbox-empty')).toBeTruthy();
  });

  test('a failing action shows its error', async () => {
    const { fake } = renderApp({ outbox: { paused: false, items: [outboxItem({ id: 'w', subject: 'Slides' })] } });
    fake.override('outbox:retryNow', () => fail('outbox.too_late', 'It is being sent right now.'));
    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Send now: Slides' }));
    expect((await screen.findByRole('alert')).textContent).toBe('It is being sent right now.');
  });
});

describe('refused recipients and "Write again"', () => {
  const reply = '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table';
  const kept = () =>
    outboxItem({
      id: 'm1',
      subject: 'Minutes',
      state: 'failed',
      to: ['Bob <bob@example.org>'],
      deliveredTo: ['ada@example.org', 'carol@example.org'],
      refused: [{ address: 'bob@example.org', reply }],
      attachmentNames: ['minutes.pdf'],
      lastError: {
        code: 'smtp.recipients_refused',
        message: `Sent to 2 of 3 recipients. Not delivered to bob@example.org: the server said "${reply}".`,
      },
    });
  const sentEntry = () =>
    historyEntry({
      id: 'm1',
      subject: 'Minutes',
      to: ['Ada <ada@example.org>', 'Bob <bob@example.org>', 'carol@example.org'],
      refused: [{ address: 'bob@example.org', reply }],
    });
  const draft = {
    accountId: 'acc-1',
    to: ['Bob <bob@example.org>'],
    cc: [],
    bcc: [],
    subject: 'Minutes',
    text: 'The minutes are attached.',
    attachments: [{ fileId: fakeFileId(), name: 'minutes.pdf', sizeBytes: 1234 }],
  };
  const chips = () =>
    within(screen.getByRole('list', { name: 'To recipients' }))
      .queryAllByRole('listitem')
      .map((li) => li.textContent!.replace('×', '').trim());

  test('history names each refused address with the reply; one click puts the message in the composer for them, ready to fix and send', async () => {
    const { fake } = renderApp({
      accounts: [account()],
      outbox: { paused: false, items: [kept()] },
      history: [sentEntry()],
    });
    fake.override('outbox:cancel', ({ id }) => {
      fake.setOutbox({ ...fake.state.outbox, items: fake.state.outbox.items.filter((i) => i.id !== id) });
      return ok({ cancelled: true, draft });
    });
    goTo('Outbox');
    const sent = await screen.findByRole('list', { name: 'Sent' });
    expect(sent.textContent).toContain('Sent to 2 of 3 recipients from ada@example.com');
    expect(within(sent).getByRole('list', { name: 'Not delivered: Minutes' }).textContent).toBe(
      `Not delivered to bob@example.org: the server said “${reply}”.`,
    );
    const failed = screen.getByRole('list', { name: 'Not sent' });
    expect(failed.textContent).toContain('Already sent to ada@example.org, carol@example.org.');
    expect(within(failed).getByText('Partly sent')).toBeTruthy();
    expect(failed.textContent).toContain('To Bob <bob@example.org>');

    fireEvent.click(within(sent).getByRole('button', { name: 'Write again to bob@example.org: Minutes' }));
    await waitFor(() => expect(fake.requests('outbox:cancel')).toEqual([{ id: 'm1' }]));
    await waitFor(() => expect(chips()).toEqual(['Bob']));
    expect(screen.getByRole('heading', { name: 'Quick send' }).closest('section')!.hidden).toBe(false);
    expect((screen.getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Minutes');
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).value).toBe(
      'The minutes are attached.',
    );
    expect(screen.getByRole('button', { name: 'Remove attachment minutes.pdf' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'To' }));

    // Fix the typo and send: only the corrected address, the same text and file.
    fireEvent.click(screen.getByRole('button', { name: 'Remove bob@example.org' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'To' }), { target: { value: 'robert@example.org' } });
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'To' }), { key: 'Enter' });
    fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
    await waitFor(() => expect(fake.requests('mail:send')).toHaveLength(1));
    expect(fake.requests('mail:send')[0]).toEqual({
      accountId: 'acc-1',
      to: ['robert@example.org'],
      cc: [],
      bcc: [],
      subject: 'Minutes',
      text: 'The minutes are attached.',
      attachments: [{ fileId: draft.attachments[0]!.fileId }],
    });
  });

  test('the failed item offers Write again too; once the message left the outbox, history still names the refusal but offers nothing', async () => {
    const { fake } = renderApp({
      accounts: [account()],
      outbox: { paused: false, items: [kept()] },
      history: [sentEntry()],
    });
    goTo('Outbox');
    fireEvent.click(await screen.findByRole('button', { name: 'Write again: Minutes' }));
    await waitFor(() => expect(fake.requests('outbox:cancel')).toEqual([{ id: 'm1' }]));
    await waitFor(() => expect(chips()).toEqual(['Bob']));
    goTo('Outbox');
    const sent = await screen.findByRole('list', { name: 'Sent' });
    expect(sent.textContent).toContain('Not delivered to bob@example.org');
    expect(within(sent).queryByRole('button', { name: /Write again/ })).toBeNull();
  });
});

describe('following outbox:changed', () => {
  test('changes are applied as they come; a missed event (a gap in revisions) lists the outbox again', async () => {
    const { fake } = renderApp({ outbox: { paused: false, items: [outboxItem({ id: 'w', subject: 'Slides' })] } });
    goTo('Outbox');
    const waiting = await screen.findByRole('list', { name: 'Waiting' });
    expect(fake.requests('outbox:list')).toHaveLength(1);
    act(() =>
      fake.setOutbox({ paused: false, items: [...fake.state.outbox.items, outboxItem({ id: 'n', subject: 'Notes' })] }),
    );
    await waitFor(() => expect(waiting.textContent).toContain('Notes'));
    expect(fake.requests('outbox:list')).toHaveLength(1); // an event in order needs no list
    // Main moved on twice, and this window heard only of the second change.
    fake.setOutbox({ paused: false, items: fake.state.outbox.items.filter((i) => i.id !== 'w') }, { lost: true });
    act(() =>
      fake.setOutbox({
        paused: false,
        items: [...fake.state.outbox.items, outboxItem({ id: 'm', subject: 'Minutes' })],
      }),
    );
    await waitFor(() => expect(fake.requests('outbox:list')).toHaveLength(2));
    await waitFor(() => expect(waiting.textContent).not.toContain('Slides'));
    expect(waiting.textContent).toContain('Notes');
    expect(waiting.textContent).toContain('Minutes');
  });
});

describe('following outbox:changed while a list is on its way', () => {
  test('an event missed while listing lists again once that list is in', async () => {
    const { fake } = renderApp({ outbox: { paused: false, items: [outboxItem({ id: 'w', subject: 'Slides' })] } });
    goTo('Outbox');
    const waiting = await screen.findByRole('list', { name: 'Waiting' });
    // The fake numbers its events 1, 2, ... from the list at revision 0; this test counts with it.
    let revision = 0;
    const change = (items: ReturnType<typeof outboxItem>[], lost = false) => {
      revision += 1;
      fake.setOutbox({ paused: false, items }, { lost });
    };
    let release: (() => void) | null = null;
    let holdNext = true;
    fake.override('outbox:list', () => {
      const answer = ok({ items: [...fake.state.outbox.items], paused: fake.state.outbox.paused, revision });
      if (!holdNext) return answer;
      holdNext = false;
      return new Promise((resolve) => (release = () => resolve(answer)));
    });
    // A lost event, then a gap: the window lists again, and that answer is held back.
    change([], true);
    act(() => change([outboxItem({ id: 'n', subject: 'Notes' })]));
    await waitFor(() => expect(fake.requests('outbox:list')).toHaveLength(2));
    // Meanwhile another event is lost, and the next one arrives before the held list.
    change([...fake.state.outbox.items, outboxItem({ id: 'm', subject: 'Minutes' })], true);
    act(() => change([...fake.state.outbox.items, outboxItem({ id: 'k', subject: 'Kickoff' })]));
    await act(async () => release!());
    // The held list is behind what came meanwhile, with a gap between: listed once more.
    await waitFor(() => expect(fake.requests('outbox:list')).toHaveLength(3));
    await waitFor(() => expect(waiting.textContent).toContain('Minutes'));
    expect(waiting.textContent).toContain('Notes');
    expect(waiting.textContent).toContain('Kickoff');
    expect(waiting.textContent).not.toContain('Slides');
  });
});
