// A real client certificate: a fresh RSA key pair and a self-signed X.509 certificate valid for a
// year, as API Gateway generates them. Backends trust it by adding the PEM to their CA list.
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const VALIDITY_DAYS = 365;

export type GeneratedCertificate = { certificatePem: string; privateKeyPem: string; notBefore: Date; notAfter: Date };

const generateRsa = promisify(generateKeyPair);

export async function generateClientCertificate(id: string, now = new Date()): Promise<GeneratedCertificate> {
  // Node's native key generation, off the event loop; node-forge builds and signs the certificate.
  const { privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial number (the leading byte below 0x80).
  cert.serialNumber = '0' + randomBytes(15).toString('hex');
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_DAYS * 86_400_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [
    { name: 'countryName', value: 'US' },
    { name: 'organizationName', value: 'Portico' },
    { name: 'organizationalUnitName', value: 'API Gateway' },
    { name: 'commonName', value: `ApiGateway-${id}` },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  // Self-signed: the backend's trust anchor is the certificate itself.
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: privateKey, notBefore, notAfter };
}
