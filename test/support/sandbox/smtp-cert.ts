// A test-only certificate for the sandbox SMTP server, made once with:
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
//     -subj "/CN=Quicksend sandbox SMTP" -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"
//     -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyCertSign"
// Why not smtp-server's bundled certificate: it names only CN=localhost (no 127.0.0.1 SAN) and
// expired on 2025-02-09 (node_modules/smtp-server/dist/esm/tls-options.js), so a client that
// verifies certificates, as Quicksend always does, can never accept it. This one is self-signed,
// valid until 2126 and passed to the client as the account's extra CA, so tests run the real
// STARTTLS + verification path. Its private key is public: never trust it outside tests.

/** PEM private key of the sandbox SMTP certificate (public on purpose, tests only). */
export const SANDBOX_SMTP_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQowrrM3nW4wo20fX
nXHDwGzOuXbHovjGypacs5dcYfihRANCAAQwLrBa49i9McZu/G+0q9L8Nr/DJE8F
OHA9zBM0QCVnCxTlCz4A3y76r9dnx2cs+/yQ0tEO1vyfxbK+xp8GvZp+
-----END PRIVATE KEY-----
`;

/** PEM certificate for 127.0.0.1, ::1 and localhost; give it to the client as its extra CA. */
export const SANDBOX_SMTP_CA = `-----BEGIN CERTIFICATE-----
MIIB2TCCAX+gAwIBAgIUYzuIjpyMZ3Ug/OVZCwe9ZAvEF8owCgYIKoZIzj0EAwIw
ITEfMB0GA1UEAwwWUXVpY2tzZW5kIHNhbmRib3ggU01UUDAgFw0yNjExMjkyMTI5
MjVaGA8yMTI2MTEwNTIxMjkyNVowITEfMB0GA1UEAwwWUXVpY2tzZW5kIHNhbmRi
b3ggU01UUDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDAusFrj2L0xxm78b7Sr
0vw2v8MkTwU4cD3MEzRAJWcLFOULPgDfLvqv12fHZyz7/JDS0Q7W/J/Fsr7Gnwa9
mn6jgZIwgY8wHQYDVR0OBBYEFNGqTmRam8npnWqsURrQfa4L2eScMB8GA1UdIwQY
MBaAFNGqTmRam8npnWqsURrQfa4L2eScMCwGA1UdEQQlMCOHBH8AAAGHEAAAAAAA
AAAAAAAAAAAAAAGCCWxvY2FsaG9zdDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB
/wQEAwIChDAKBggqhkjOPQQDAgNIADBFAiB5saqBUaGwnK3AxYAXLC6AJPCxa5Id
0zJL+nalKzrNpAIhAP4lMiCPcuB4fKQLdWqIeRCEtkOOUQmwasrX7DDZfDqm
-----END CERTIFICATE-----
`;
