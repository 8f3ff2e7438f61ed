// Test helpers: an AWS SDK client in a fresh random account, and assertions on AWS errors.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';

export const endpoint = process.env.PORTICO_TEST_ENDPOINT ?? 'http://127.0.0.1:4567';

export const randomAccountId = () => String(randomInt(100000, 999999)) + String(randomInt(100000, 999999));

/** A client for a new account: each test gets its own, so tests never see each other's resources. */
export function newClient(accountId = randomAccountId()): APIGatewayClient & { accountId: string } {
  const client = new APIGatewayClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: accountId, secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  return Object.assign(client, { accountId });
}

type AwsError = { name: string; message: string; $metadata?: { httpStatusCode?: number } };

/** Asserts that `promise` fails with AWS's error name, status and (when given) exact message. */
export async function expectError(promise: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<AwsError> {
  try {
    await promise;
  } catch (e) {
    const err = e as AwsError;
    assert.equal(err.name, name, `error name (message: ${err.message})`);
    assert.equal(err.$metadata?.httpStatusCode, status, 'status');
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}
