// A computer's CEM network zone (Inv_AeX_AC_Network_Zone, Broadcom ITMS CEM article). It rides on the computers row,
// so it costs no statement of its own.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';

export const NetworkZone = builder.objectRef<Row<'computers'>>('NetworkZone').implement({
  description: 'The CEM state the agent last reported (Inv_AeX_AC_Network_Zone).',
  fields: (t) => ({
    isOnInternet: t.exposeBoolean('IsOnInternet', { description: 'Communicating through an Internet Gateway now.' }),
    internetModeSupported: t.exposeBoolean('InternetModeSupported', {
      nullable: true,
      description: 'Configured for Cloud-enabled Management.',
    }),
    appliedPolicyCount: t.exposeInt('AppliedPolicyCount', {
      nullable: true,
      description: 'CEM policies applied; more than 0 confirms CEM was provisioned.',
    }),
    httpsMode: t.exposeBoolean('HTTPSMode', { nullable: true, description: 'True: the agent uses HTTPS; false: plain HTTP; null: not reported.' }),
    tls: t.exposeString('TLS', { nullable: true, description: 'TLS state as the data class reports it.' }),
  }),
});
