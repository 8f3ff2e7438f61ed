// The AWS CLI as the Developer Guide walkthroughs use it: `aws apigateway ... --endpoint-url`
// against the control plane, in a test's own account. Walkthrough suites skip, visibly, where the
// CLI is not installed.
import { execFile, execFileSync } from 'node:child_process';
import { endpoint } from './client.js';

function cliAvailable(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The `skip` option of a suite that needs the AWS CLI. */
export const awsCliSkip: false | string = cliAvailable() ? false : 'the AWS CLI (aws) is not installed';

/** Runs `aws apigateway <args>` against Portico in the given account; parses its JSON output. */
export function aws(accountId: string, ...args: string[]): Promise<Record<string, any>> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: accountId,
    AWS_SECRET_ACCESS_KEY: 'walkthrough-secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return new Promise((resolve, reject) => {
    execFile('aws', ['apigateway', ...args, '--endpoint-url', endpoint, '--output', 'json'], { env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`aws apigateway ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : {});
    });
  });
}
