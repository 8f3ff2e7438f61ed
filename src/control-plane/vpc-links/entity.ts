// The VpcLink row. Its status is not stored: it follows from the creation and deletion times
// (see status.ts), so the asynchronous life cycle needs no background job.
import { EntitySchema } from 'typeorm';

export type VpcLinkData = { description?: string; targetArns: string[] };

export type VpcLinkRow = {
  id: string;
  accountId: string;
  name: string;
  createdDate: Date;
  /** set by DeleteVpcLink: the link shows DELETING until the provisioning delay has passed */
  deletedDate: Date | null;
  data: VpcLinkData;
};

export const VpcLinkEntity = new EntitySchema<VpcLinkRow>({
  name: 'VpcLink',
  tableName: 'vpc_links',
  columns: {
    id: { type: 'varchar', primary: true },
    accountId: { type: 'char', name: 'account_id' },
    name: { type: 'text' },
    createdDate: { type: 'timestamptz', name: 'created_date' },
    deletedDate: { type: 'timestamptz', name: 'deleted_date', nullable: true },
    data: { type: 'jsonb' },
  },
});
