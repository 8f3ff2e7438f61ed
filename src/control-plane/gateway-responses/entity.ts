// The GatewayResponse row: a customized gateway response of an API, by response type.
import { EntitySchema } from 'typeorm';
import type { GatewayResponse } from '../protocol/shapes.js';

export type GatewayResponseRow = { restApiId: string; responseType: string; accountId: string; data: GatewayResponse };

export const GatewayResponseEntity = new EntitySchema<GatewayResponseRow>({
  name: 'GatewayResponse',
  tableName: 'gateway_responses',
  columns: {
    restApiId: { type: 'varchar', primary: true, name: 'rest_api_id' },
    responseType: { type: 'varchar', primary: true, name: 'response_type' },
    accountId: { type: 'char', name: 'account_id' },
    data: { type: 'jsonb' },
  },
});
