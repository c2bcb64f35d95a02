import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface Received {
  messageId: string;
  to: string[];
  subject: string;
  raw: string;
}

/**
 * A real SMTP server on loopback for the tests (the `smtp-server` package):
 * records every message it accepts; `hold()` makes it stall new connections
 * before the greeting, so a test can catch a worker in the middle of sending;
 * `holdAcks()` keeps the reply to a message it has received (recorded) back, so
 * a test can catch the sender after the mail left and before it heard so.
 */
export async function startSmtp(): Promise<{ url: string; received: Received[]; stalled: SMTPServerSession[]; hold(on: boolean): void; holdAcks(on: boolean): void; close(): Promise<void> }> {
  const received: Received[] = [];
  const stalled: SMTPServerSession[] = [];
  let holding = false;
  let holdingAcks = false;
  const heldAcks: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(session, callback) {
      if (holding) {
        stalled.push(session); // never answered: the client waits for the greeting
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
        received.push({ messageId: header('Message-ID'), to: session.envelope.rcptTo.map((r) => r.address), subject: header('Subject'), raw });
        if (holdingAcks) heldAcks.push(() => callback());
        else callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stalled,
    hold(on) {
      holding = on;
    },
    holdAcks(on) {
      holdingAcks = on;
      if (!on) for (const ack of heldAcks.splice(0)) ack();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text of a base64 plain-text mail as the server received it (`Received.raw`). */
export const mailText = (raw: string): string => Buffer.from(raw.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
