/**
 * Endpoint signing secrets. The server must sign with them, so they cannot be hashed like tokens;
 * with WEBHOOK_SECRET_KEY set they are sealed with AES-256-GCM (key derived with HKDF-SHA256), and
 * without it stored as they are (README says so).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const SEALED = 'enc:v1:';

/** `whsec_` + base64 of 32 random bytes: the Standard Webhooks format the `standardwebhooks` package reads. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const keyFrom = (secretKey: string) => Buffer.from(hkdfSync('sha256', secretKey, 'factcheck-webhooks', 'endpoint secret v1', 32));

export function sealSecret(secret: string, secretKey: string | null | undefined): string {
  if (!secretKey) return secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${SEALED}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${sealed.toString('base64')}`;
}

/** The secret to sign with; throws (the attempt fails, the process goes on) when it cannot be opened. */
export function openSecret(stored: string, secretKey: string | null | undefined): string {
  if (!stored.startsWith(SEALED)) return stored; // stored before a key was set: still usable as is
  if (!secretKey) throw new Error('the endpoint secret is encrypted, and WEBHOOK_SECRET_KEY is not set');
  const [iv, tag, sealed] = stored.slice(SEALED.length).split(':');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secretKey), Buffer.from(iv!, 'base64'));
  decipher.setAuthTag(Buffer.from(tag!, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed!, 'base64')), decipher.final()]).toString('utf8');
}

export const isSealed = (stored: string) => stored.startsWith(SEALED);
