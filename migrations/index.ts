// Every migration, in order. The schema changes only through these.
import { Foundation1700000000000 } from './1700000000000-Foundation.js';
import { Deployments1700000000001 } from './1700000000001-Deployments.js';
import { ApiKeysUsagePlans1700000000002 } from './1700000000002-ApiKeysUsagePlans.js';
import { Documentation1700000000003 } from './1700000000003-Documentation.js';
import { DomainsCertificatesVpcLinks1700000000004 } from './1700000000004-DomainsCertificatesVpcLinks.js';

export const migrations = [Foundation1700000000000, Deployments1700000000001, ApiKeysUsagePlans1700000000002, Documentation1700000000003, DomainsCertificatesVpcLinks1700000000004];
