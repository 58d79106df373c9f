#!/usr/bin/env node
/*
 * The demo's mail catcher (npm start, without Docker): an SMTP server on 127.0.0.1:1025 that writes
 * every message it receives to .demo/mail/<time>-<n>.eml, so a tester can follow a notification from
 * a submission to the inbox. Never for production: docker-compose uses mailpit, production a real relay.
 */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { SMTPServer } = require('smtp-server');

const dir = process.env.NOLAN_MAIL_DIR || join(__dirname, '..', '.demo', 'mail');
const port = Number(process.env.MAIL_CATCHER_PORT || 1025);
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      count += 1;
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${count}.eml`);
      writeFileSync(file, Buffer.concat(chunks));
      process.stdout.write(`mail for ${session.envelope.rcptTo.map((r) => r.address).join(', ')} → ${file}\n`);
      callback();
    });
  },
});
server.on('error', (error) => {
  process.stderr.write(`mail catcher: ${error.message}\n`);
  process.exit(1);
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
