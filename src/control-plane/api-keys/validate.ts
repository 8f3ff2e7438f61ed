// API key rules with API Gateway's messages: name and description sizes, value length, generated
// values, and stage keys that must name existing stages.
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badRequest, conflict } from '../protocol/errors.js';
import type { Context } from '../protocol/operation.js';
import type { StageKey } from '../protocol/shapes.js';
import { StageEntity } from '../stages/entity.js';
import { stageNotFound } from '../stages/handlers.js';
import { ApiKeyEntity } from './entity.js';
import { apiKeyValueHash } from './lookup.js';

const MAX_NAME = 1024;
const MAX_DESCRIPTION = 125_000;
const MIN_VALUE = 20;
const MAX_VALUE = 128;
const GENERATED_VALUE_LENGTH = 40;
const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const apiKeyExists = () => conflict('API Key already exists');

export function checkName(name: string): void {
  if (name.length > MAX_NAME) throw badRequest(`Invalid API Key name, can be at most ${MAX_NAME} characters.`);
}

export function checkDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION) throw badRequest('Invalid API Key description specified.');
}

export function checkValue(value: string): void {
  if (value.length < MIN_VALUE) throw badRequest(`API Key value should be at least ${MIN_VALUE} characters`);
  if (value.length > MAX_VALUE) throw badRequest(`API Key value exceeds maximum size of ${MAX_VALUE} characters`);
}

/** A value as API Gateway generates them: 40 random letters and digits. */
export function generateValue(): string {
  let value = '';
  for (let i = 0; i < GENERATED_VALUE_LENGTH; i++) value += VALUE_ALPHABET[randomInt(VALUE_ALPHABET.length)];
  return value;
}

/** The key of the account that already has this value, if any. */
export async function keyWithValue(em: EntityManager, ctx: Context, value: string) {
  return em.getRepository(ApiKeyEntity).findOneBy({ accountId: ctx.accountId, valueHash: apiKeyValueHash(value) });
}

/** `{restApiId}/{stageName}` of an existing stage of the account. */
export async function stageKeyOf(em: EntityManager, ctx: Context, stageKey: StageKey): Promise<string> {
  const { restApiId, stageName } = stageKey;
  if (!restApiId || !stageName || !(await em.getRepository(StageEntity).existsBy({ restApiId, stageName, accountId: ctx.accountId }))) {
    throw stageNotFound();
  }
  return `${restApiId}/${stageName}`;
}

/** Parses a `/stages` patch value, `{restApiId}/{stageName}`. */
export function parseStageKey(value: string | undefined): StageKey {
  const match = /^([^/]+)\/([^/]+)$/.exec(value ?? '');
  if (!match) throw badRequest(`Invalid stage key specified: ${value ?? 'null'}`);
  return { restApiId: match[1], stageName: match[2] };
}
