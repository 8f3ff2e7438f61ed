// The Authorizer row.
import { apiChildEntity } from '../../db/api-child-entity.js';
import type { Authorizer } from '../protocol/shapes.js';

export const AuthorizerEntity = apiChildEntity<Authorizer>('Authorizer', 'authorizers');
