// Every migration, in order. The schema changes only through these.
import { Foundation1700000000000 } from './1700000000000-Foundation.js';
import { Deployments1700000000001 } from './1700000000001-Deployments.js';

export const migrations = [Foundation1700000000000, Deployments1700000000001];
