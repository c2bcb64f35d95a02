import nodemailer, { type Transporter } from 'nodemailer';
import { logger } from '@mosaic/kernel';

/** One email as the engine sends it. `messageId` is stable per action, so a receiver can drop a resend. */
export interface Mail {
  to: string[];
  cc?: string[];
  subject: string;
  text?: string;
  html?: string;
  messageId: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  response: string;
}

const transports = new Map<string, Transporter>();

/**
 * Sends through real SMTP when SMTP_URL is set (smtp://user:pass@host:587,
 * smtps://… for TLS); without it, development mode: the mail is logged, not sent.
 * MOSAIC_MAIL_FROM sets the sender.
 */
export async function sendMail(mail: Mail, env: NodeJS.ProcessEnv = process.env): Promise<SentMail> {
  const url = env.SMTP_URL ?? '';
  let transport = transports.get(url);
  if (!transport) {
    transport = url
      ? nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never)
      : nodemailer.createTransport({ jsonTransport: true });
    transports.set(url, transport);
  }
  const info = await transport.sendMail({
    from: env.MOSAIC_MAIL_FROM || 'Mosaic <no-reply@mosaic.local>',
    to: mail.to, cc: mail.cc, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId,
  });
  if (!url) logger.info({ to: mail.to, subject: mail.subject, messageId: mail.messageId }, 'email (log only: SMTP_URL is not set)');
  return { messageId: mail.messageId, accepted: (info.accepted ?? mail.to).map(String), response: String(info.response ?? 'logged') };
}

/** Loose check of an address: something@something.tld, no spaces or angle brackets. */
export function isEmailAddress(s: string): boolean {
  return /^[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+$/.test(s) && s.length <= 254;
}
