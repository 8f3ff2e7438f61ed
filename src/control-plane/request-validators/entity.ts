// The RequestValidator row.
import { apiChildEntity } from '../../db/api-child-entity.js';
import type { RequestValidator } from '../protocol/shapes.js';

export const RequestValidatorEntity = apiChildEntity<RequestValidator>('RequestValidator', 'request_validators');
