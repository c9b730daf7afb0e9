// Test-only certificates for the sandbox SMTP server: a private certificate authority and two
// server certificates it signed, like a company or self-hosted mail server. Made once with
// OpenSSL 3.0 (nothing needs openssl at test time):
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
//     -keyout ca.key -out ca.pem -subj "/O=Quicksend sandbox/CN=Quicksend sandbox private CA"
//     -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"
//   openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
//     -keyout server.key -out server.csr -subj "/CN=smtp.sandbox.test"
//   server.ext: basicConstraints=critical,CA:FALSE / keyUsage=critical,digitalSignature /
//     extendedKeyUsage=serverAuth / subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
//   openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -sha256
//     -extfile server.ext -out server.pem
//   other.key, other.pem: the same two steps with -subj "/CN=mail.elsewhere.test" and
//     subjectAltName=DNS:mail.elsewhere.test (a certificate for another host, same CA)
// Valid until 2126. The CA's key was thrown away after signing; the servers' keys are public
// on purpose: never trust any of this outside tests.
// Why not smtp-server's bundled certificate: it names only CN=localhost (no 127.0.0.1 SAN) and
// expired on 2025-02-09 (node_modules/smtp-server/dist/esm/tls-options.js), so a client that
// verifies certificates, as Quicksend always does, can never accept it. Why not one self-signed
// certificate: real private servers present a leaf signed by a separate CA, and the client is
// given that CA (the account's extra CA), never the server's own certificate.

/** The private CA's certificate (CA:TRUE): what a person adds as the account's extra CA. */
export const SANDBOX_SMTP_CA = `-----BEGIN CERTIFICATE-----
MIIB8DCCAZagAwIBAgIUcIJDmkEh86/HohP5RjXRsgYgKk0wCgYIKoZIzj0EAwIw
QzEaMBgGA1UECgwRUXVpY2tzZW5kIHNhbmRib3gxJTAjBgNVBAMMHFF1aWNrc2Vu
ZCBzYW5kYm94IHByaXZhdGUgQ0EwIBcNMjYxMjAzMTQxNTE4WhgPMjEyNjExMDkx
NDE1MThaMEMxGjAYBgNVBAoMEVF1aWNrc2VuZCBzYW5kYm94MSUwIwYDVQQDDBxR
dWlja3NlbmQgc2FuZGJveCBwcml2YXRlIENBMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAEfjgrZeCNCS5D/qd9EbgX8ZO91SXxSTlht+Myd3hSsKpzPfaEnkBtOrw3
xyUcOj8w2d1+T8l4GDa8U1rRNM6G9qNmMGQwHQYDVR0OBBYEFCuS+B/+C66UXH+y
SLXRhHM5illqMB8GA1UdIwQYMBaAFCuS+B/+C66UXH+ySLXRhHM5illqMBIGA1Ud
EwEB/wQIMAYBAf8CAQAwDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUC
IQCK8Giyzye/22T9qKfj3YXGOUU/FBf7uqjOoLkFmA6jSAIgBXHU/wJje2mHtL7N
nLTRI7oGGFugAWC5kStRWsUuyA0=
-----END CERTIFICATE-----
`;

/** Issuer name of every sandbox server certificate, as a probe reads it. */
export const SANDBOX_SMTP_CA_NAME = 'Quicksend sandbox private CA';

/** Server certificate for 127.0.0.1, ::1 and localhost, signed by SANDBOX_SMTP_CA. */
export const SANDBOX_SMTP_CERT = `-----BEGIN CERTIFICATE-----
MIICBzCCAa6gAwIBAgIUC2lPP3kNEJS1M8qxW3TyiawLns8wCgYIKoZIzj0EAwIw
QzEaMBgGA1UECgwRUXVpY2tzZW5kIHNhbmRib3gxJTAjBgNVBAMMHFF1aWNrc2Vu
ZCBzYW5kYm94IHByaXZhdGUgQ0EwIBcNMjYxMjAzMTQxNTE4WhgPMjEyNjExMDkx
NDE1MThaMBwxGjAYBgNVBAMMEXNtdHAuc2FuZGJveC50ZXN0MFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEwAitSoE1MhsRQV6CbDj+iWeyUo0JlBwrim3iu9Rt/Uy9
GpNIkWZJ2N6LmTJXqZEvwKvuSP5aXHeSsqiJih0adaOBpDCBoTAMBgNVHRMBAf8E
AjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAsBgNVHREE
JTAjhwR/AAABhxAAAAAAAAAAAAAAAAAAAAABgglsb2NhbGhvc3QwHQYDVR0OBBYE
FFQwi/+qaUcYTJM+4JvOsoZVWLYrMB8GA1UdIwQYMBaAFCuS+B/+C66UXH+ySLXR
hHM5illqMAoGCCqGSM49BAMCA0cAMEQCIFjV8IkiFjqKX8Mbfl4Js+tpq34m77d2
mqyd5Q9rbDvHAiAlUhEqmbRN7bctlro7zSCjWqjxRr0bodtP0A6kkR+9Ig==
-----END CERTIFICATE-----
`;

/** Private key of SANDBOX_SMTP_CERT (public on purpose, tests only). */
export const SANDBOX_SMTP_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSfvOBlkR7luLqqLu
KvqaXL4BEZO18NaxI1HRBGIQgRGhRANCAATACK1KgTUyGxFBXoJsOP6JZ7JSjQmU
HCuKbeK71G39TL0ak0iRZknY3ouZMlepkS/Aq+5I/lpcd5KyqImKHRp1
-----END PRIVATE KEY-----
`;

/** Server certificate for mail.elsewhere.test only, from the same CA: a hostname mismatch on 127.0.0.1. */
export const SANDBOX_SMTP_WRONG_HOST_CERT = `-----BEGIN CERTIFICATE-----
MIIB+zCCAaKgAwIBAgIUC2lPP3kNEJS1M8qxW3TyiawLntAwCgYIKoZIzj0EAwIw
QzEaMBgGA1UECgwRUXVpY2tzZW5kIHNhbmRib3gxJTAjBgNVBAMMHFF1aWNrc2Vu
ZCBzYW5kYm94IHByaXZhdGUgQ0EwIBcNMjYxMjAzMTQxNTE4WhgPMjEyNjExMDkx
NDE1MThaMB4xHDAaBgNVBAMME21haWwuZWxzZXdoZXJlLnRlc3QwWTATBgcqhkjO
PQIBBggqhkjOPQMBBwNCAASR8doYnbezc7e8784bQx4kdbNq6VCoY+Ygt9r7tCoS
0G5LUI4tKRiu0TwtNH2NK9XhKMoDKLWDJIeF0A/E0yzXo4GWMIGTMAwGA1UdEwEB
/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQMMAoGCCsGAQUFBwMBMB4GA1Ud
EQQXMBWCE21haWwuZWxzZXdoZXJlLnRlc3QwHQYDVR0OBBYEFDOHktpJxGQaDJJS
75FXnKZRrJCpMB8GA1UdIwQYMBaAFCuS+B/+C66UXH+ySLXRhHM5illqMAoGCCqG
SM49BAMCA0cAMEQCIAdKOfjhAhqfG2LtMwpzN8CVLrsf/7vLt8wqFg//ruTSAiAe
S1bNYBrJWeUNA75cQluGkLobktbCMytB5LIpQhSX9w==
-----END CERTIFICATE-----
`;

/** Private key of SANDBOX_SMTP_WRONG_HOST_CERT (public on purpose, tests only). */
export const SANDBOX_SMTP_WRONG_HOST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghaTUE/HZbbZ+gUhu
+XoMuopwTFHYgf/L2mEhtn8AvPmhRANCAASR8doYnbezc7e8784bQx4kdbNq6VCo
Y+Ygt9r7tCoS0G5LUI4tKRiu0TwtNH2NK9XhKMoDKLWDJIeF0A/E0yzX
-----END PRIVATE KEY-----
`;
