/**
 * The variables the handlers read (shared/config.ts), set the way the CDK stack
 * sets a function's environment on AWS. The one place the local runtime writes
 * process.env; each setter gets back what puts the previous values back.
 */
export function setHandlerEnvironment(vars: Readonly<Record<string, string>>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
