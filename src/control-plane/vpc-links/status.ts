// A VPC link's asynchronous life cycle: PENDING for the provisioning delay after CreateVpcLink, then
// AVAILABLE; DELETING for the same delay after DeleteVpcLink, then gone. Self-hosted, there is no
// network load balancer to attach: the delay (PORTICO_VPC_LINK_PROVISIONING_MS) only keeps the shape.
import { config } from '../../config.js';
import type { VpcLinkRow } from './entity.js';

export type VpcLinkState = { status: 'PENDING' | 'AVAILABLE' | 'DELETING'; statusMessage?: string } | { status: 'GONE' };

export const provisioningMs = () => config.vpcLinkProvisioningMs;

/** When the link becomes AVAILABLE (epoch ms). */
export const availableAt = (row: Pick<VpcLinkRow, 'createdDate'>) => row.createdDate.getTime() + provisioningMs();

export function vpcLinkState(row: VpcLinkRow, now = Date.now()): VpcLinkState {
  if (row.deletedDate) return now < row.deletedDate.getTime() + provisioningMs() ? { status: 'DELETING' } : { status: 'GONE' };
  if (now < availableAt(row)) return { status: 'PENDING' };
  return { status: 'AVAILABLE', statusMessage: 'Your vpc link is ready for use' };
}
