/**
 * "How to set up your program": the exact values for the common cases, built from the relay's
 * port and a program's username. The password is never put in these texts (it is shown once,
 * apart, to be copied); each snippet says where it goes.
 */

export type RelaySetupValues = {
  port: number;
  /** The implicit-TLS port, when the person turned it on. */
  tlsPort: number | null;
  username: string;
  /** The address the program sends as. */
  from: string;
};

export type RelaySetupGuide = { id: string; title: string; intro: string; text: string };

/** A placeholder where the program's own password goes (never the real one). */
export const PASSWORD_PLACEHOLDER = 'THE-PASSWORD-QUICKSEND-SHOWED-ONCE';

export function relaySetupGuides(values: RelaySetupValues): RelaySetupGuide[] {
  const { port, tlsPort, username, from } = values;
  return [
    {
      id: 'python',
      title: 'A script with Python’s smtplib',
      intro:
        'STARTTLS with the saved certificate (or drop the two TLS lines: the connection never leaves this computer).',
      text: [
        'import smtplib, ssl',
        'from email.message import EmailMessage',
        '',
        'msg = EmailMessage()',
        `msg["From"] = "${from}"`,
        'msg["To"] = "someone@example.org"',
        'msg["Subject"] = "Backup finished"',
        'msg.set_content("All good.")',
        '',
        `with smtplib.SMTP("127.0.0.1", ${port}) as smtp:`,
        '    smtp.starttls(context=ssl.create_default_context(cafile="quicksend-relay.pem"))',
        `    smtp.login("${username}", "${PASSWORD_PLACEHOLDER}")`,
        '    smtp.send_message(msg)',
      ].join('\n'),
    },
    {
      id: 'git',
      title: 'git send-email',
      intro: 'In ~/.gitconfig (git asks for the password the first time, or keeps it in its credential helper).',
      text: [
        '[sendemail]',
        '    smtpServer = 127.0.0.1',
        `    smtpServerPort = ${port}`,
        '    smtpEncryption = tls',
        '    smtpSSLCertPath = /path/to/quicksend-relay.pem',
        `    smtpUser = ${username}`,
        `    from = ${from}`,
      ].join('\n'),
    },
    {
      id: 'msmtp',
      title: 'msmtp (for cron, mutt and anything that calls sendmail)',
      intro: 'Install msmtp (and msmtp-mta to make it your sendmail). In ~/.msmtprc, readable by you only (chmod 600):',
      text: [
        'defaults',
        'tls on',
        'tls_starttls on',
        'tls_trust_file /path/to/quicksend-relay.pem',
        '',
        'account quicksend',
        'host 127.0.0.1',
        `port ${port}`,
        'auth plain',
        `user ${username}`,
        `password ${PASSWORD_PLACEHOLDER}`,
        `from ${from}`,
        '',
        'account default : quicksend',
        '',
        '# then: printf "To: someone@example.org\\nSubject: hi\\n\\nhello\\n" | msmtp -t',
      ].join('\n'),
    },
    {
      id: 'generic',
      title: 'A mail client or any other program',
      intro: 'Outgoing (SMTP) server settings:',
      text: [
        'Server:          127.0.0.1',
        `Port:            ${port} (STARTTLS, or none)${tlsPort !== null ? `\nTLS port:        ${tlsPort} (SSL/TLS)` : ''}`,
        'Authentication:  normal password (PLAIN or LOGIN)',
        `Username:        ${username}`,
        'Password:        the one Quicksend showed once',
        `From address:    ${from}`,
      ].join('\n'),
    },
  ];
}
