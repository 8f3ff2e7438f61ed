// The Model row: a named JSON schema of an API.
import { apiChildEntity } from '../../db/api-child-entity.js';
import type { Model } from '../protocol/shapes.js';

export const ModelEntity = apiChildEntity<Model>('Model', 'models');
