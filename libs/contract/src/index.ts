// Public API of @nolan/contract: the shapes of Nolan's HTTP API, shared by the API (which returns them)
// and the portal (which reads them), so neither side keeps a hand-made copy of the other
// (docs/architecture.md, "The contract"). Types only: nothing here runs, decrypts or talks to anything.
export * from './lib/version';
