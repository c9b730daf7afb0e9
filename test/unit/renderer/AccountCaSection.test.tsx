// The account card's "Extra certificate authority": choose a file (read with the File API, DER
// or PEM) or paste, see who it is and its fingerprint before trusting it, errors at the field,
// and Remove. The label is the one the outbox's explanation names.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { EXTRA_CA_FIELD } from '../../../electron/mail/certificate-problem';
import { EXTRA_CA_LABEL } from '../../../renderer/src/components/AccountCaSection';
import { pemFromFile } from '../../../renderer/src/lib/certificate';
import { account, FAKE_CA } from '../../fakes/fake-api';
import { SANDBOX_SMTP_CA } from '../../support/sandbox/smtp-cert';
import { goTo, renderApp } from './render';

async function openCard(initial = {}) {
  const r = renderApp({ accounts: [account()], ...initial });
  goTo('Accounts');
  const card = await screen.findByRole('listitem', { name: 'ada@example.com' });
  const summary = within(card).getByText(new RegExp(`^${EXTRA_CA_LABEL}`));
  const section = summary.closest('details')!;
  fireEvent.click(summary); // open the disclosure
  return { ...r, card, section };
}

describe('extra certificate authority on the account card', () => {
  test('pasted: checked by main, shown with subject and SHA-256 fingerprint, then trusted', async () => {
    const { fake, section } = await openCard();
    const trust = within(section).getByRole('button', { name: 'Trust this authority' }) as HTMLButtonElement;
    expect(trust.disabled).toBe(true); // nothing checked yet
    fireEvent.change(within(section).getByLabelText('Or paste it'), { target: { value: SANDBOX_SMTP_CA } });
    fireEvent.click(within(section).getByRole('button', { name: 'Check pasted certificate' }));
    expect(await within(section).findByText(FAKE_CA.fingerprint256)).toBeTruthy();
    expect(within(section).getByText(FAKE_CA.subject)).toBeTruthy();
    expect(fake.requests('certificates:inspect')).toEqual([{ pem: SANDBOX_SMTP_CA }]);
    expect(fake.requests('accounts:setExtraCa')).toEqual([]); // shown before anything is saved
    fireEvent.click(trust);
    await waitFor(() =>
      expect(fake.requests('accounts:setExtraCa')).toEqual([{ accountId: 'acc-1', pem: SANDBOX_SMTP_CA }]),
    );
    // The card now says which authority it trusts.
    const card = await screen.findByRole('listitem', { name: 'ada@example.com' });
    expect(await within(card).findByText(`${EXTRA_CA_LABEL}: ${FAKE_CA.subject}`)).toBeTruthy();
  });

  test('chosen with the file picker: read in the renderer, no path sent anywhere', async () => {
    const { fake, section } = await openCard();
    const file = new File([SANDBOX_SMTP_CA], 'company-root.pem', { type: 'application/x-pem-file' });
    fireEvent.change(within(section).getByLabelText('Certificate file (.pem, .crt or .cer)'), {
      target: { files: [file] },
    });
    expect(await within(section).findByText(FAKE_CA.fingerprint256)).toBeTruthy();
    expect(fake.requests('certificates:inspect')).toEqual([{ pem: SANDBOX_SMTP_CA }]);
    expect(JSON.stringify(fake.calls)).not.toContain('company-root.pem');
  });

  test('a refused certificate is explained at the field and nothing is saved', async () => {
    const { fake, section } = await openCard();
    const pasted = within(section).getByLabelText('Or paste it');
    fireEvent.change(pasted, { target: { value: 'hello' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Check pasted certificate' }));
    const alert = await within(section).findByRole('alert');
    expect(alert.textContent).toContain('not a certificate in PEM form');
    expect(pasted.getAttribute('aria-describedby')).toBe(alert.id);
    expect((within(section).getByRole('button', { name: 'Trust this authority' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    expect(fake.requests('accounts:setExtraCa')).toEqual([]);
  });

  test('a saved authority is shown with its fingerprint and can be removed', async () => {
    const { fake, section } = await openCard({ accounts: [account({ extraCa: FAKE_CA })] });
    expect(within(section).getByText(FAKE_CA.fingerprint256)).toBeTruthy();
    fireEvent.click(
      within(section).getByRole('button', { name: 'Remove the extra certificate authority of ada@example.com' }),
    );
    await waitFor(() => expect(fake.requests('accounts:setExtraCa')).toEqual([{ accountId: 'acc-1', pem: null }]));
  });
});

describe('the label', () => {
  test('is the field name that main\'s "server not trusted" explanation sends people to', () => {
    expect(EXTRA_CA_LABEL).toBe(EXTRA_CA_FIELD);
  });
});

describe('pemFromFile', () => {
  test('keeps PEM as it is and wraps a binary (DER) certificate in PEM', async () => {
    expect(await pemFromFile(new Blob([SANDBOX_SMTP_CA]))).toBe(SANDBOX_SMTP_CA);
    const body = SANDBOX_SMTP_CA.split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
    const pem = await pemFromFile(new Blob([der]));
    expect(pem.replace(/\s/g, '')).toBe(SANDBOX_SMTP_CA.replace(/\s/g, ''));
  });
});
