// Enums shared by several types. Each GraphQL value maps to the value the dataset stores or its
// parameter takes (lowercase strings, 0/1 type codes), so arguments pass straight through
// to Params and rows serialize without a translation table (Pothos enum values cannot be booleans,
// so the two yes/no enums are the one exception). A stored value outside the enum is a
// data-contract violation and fails its field ("Unexpected error."), not the whole response.
import { VERDICTS } from '../../diagnosis/checks.js';
import { builder } from '../builder.js';
import { verdictDescription } from './verdicts.js';

export const Connectivity = builder.enumType('Connectivity', {
  description: 'How a computer reaches the Notification Server right now (Inv_AeX_AC_Network_Zone.IsOnInternet).',
  values: {
    INTERNET: { value: 'internet', description: 'Through an Internet Gateway (CEM mode active).' },
    LAN: { value: 'lan', description: 'On the internal network.' },
  } as const,
});

export const Transport = builder.enumType('Transport', {
  description: 'Agent transport (Inv_AeX_AC_Network_Zone.HTTPSMode).',
  values: {
    HTTPS: { value: 'https', description: 'The agent talks to the Notification Server over HTTPS.' },
    HTTP: { value: 'http', description: 'Plain HTTP: on the Internet, only through a gateway; worth moving to HTTPS.' },
  } as const,
});

export const AuthType = builder.enumType('AuthType', {
  description: 'Certificates the agent connects with (ITMS 8.8.1 "Agents Distribution by Authentication Type").',
  values: {
    PERMANENT: { value: 'permanent', description: 'Long-lived certificate from the Notification Server.' },
    EPHEMERAL: { value: 'ephemeral', description: 'Short-lived (about 6 h) self-renewed certificate.' },
    BOTH: { value: 'both', description: 'Both a permanent and an ephemeral certificate.' },
    NONE: { value: 'none', description: 'No certificate auth recorded for the computer.' },
  } as const,
});

export const OrderDirection = builder.enumType('OrderDirection', {
  description: 'Sort direction of a list.',
  values: { ASC: { value: 'ASC', description: 'Ascending: A to Z, oldest first.' }, DESC: { value: 'DESC', description: 'Descending: Z to A, newest first.' } } as const,
});

export const GatewayConnectionLevel = builder.enumType('GatewayConnectionLevel', {
  description: 'Connection levels of the CSA "Gateway service status".',
  values: {
    BROKER: { value: 'broker', description: 'Broker service connections opened by core servers.' },
    CLIENT: { value: 'client', description: 'Agent tunnels.' },
    ADMIN: { value: 'admin', description: 'Administrative connections, as the connection table counts them.' },
    CONSOLE: { value: 'console', description: 'Console connections, as the connection table counts them.' },
    UNPRIVILEGED: { value: 'unprivileged', description: 'Connections the gateway has not authenticated (yet).' },
  } as const,
});

export const DenialReason = builder.enumType('DenialReason', {
  description: 'Why a gateway denied an agent connection.',
  values: {
    REGISTRATION_NOT_FOUND: { value: 'registration_not_found', description: 'Registration lost, typically after a CMDB rollback.' },
    TIME_SKEW: { value: 'time_skew', description: 'Clocks of agent, gateway and Notification Server disagree.' },
    VERSION_MISMATCH: { value: 'version_mismatch', description: 'Notification Server and gateway are not both at 8.8.1.' },
    GATEWAY_NOT_REGISTERED: { value: 'gateway_not_registered', description: 'The gateway rejects every ephemeral certificate.' },
    BLOCKED: { value: 'blocked', description: 'An administrator blocked the agent.' },
  } as const,
});

export const AccessStatus = builder.enumType('AccessStatus', {
  description: 'An Access Troubleshooting entry awaiting a decision, or the decision taken.',
  values: {
    PENDING: { value: 'pending', description: 'Denied and waiting for an administrator on the Access Troubleshooting page.' },
    APPROVED: { value: 'approved', description: 'An administrator let the agent in.' },
    BLOCKED: { value: 'blocked', description: 'An administrator blocked the agent: the gateway keeps denying it.' },
  } as const,
});

export const Severity = builder.enumType('Severity', {
  description: 'Agent message type (toolcfg_agentmessages.xml: 0 = error, 1 = warning).',
  values: { ERROR: { value: 0, description: 'Something failed (type 0).' }, WARNING: { value: 1, description: 'Worth a look (type 1).' } } as const,
});

export const ReportingState = builder.enumType('ReportingState', {
  description: "When the agent last reported inventory (MAX(ResourceUpdateSummary.ModifiedDate)), against gatewatch's thresholds (--late-after-hours, --inactive-after-days).",
  values: {
    REPORTING: { value: 'reporting', description: 'Reported within the late threshold (default 1 day).' },
    LATE: { value: 'late', description: 'Silent longer than the late threshold, shorter than the inactive one (default 1 to 7 days).' },
    INACTIVE: { value: 'inactive', description: 'Silent at least the inactive threshold (default 7 days).' },
    NEVER: { value: 'never', description: 'Managed, but no inventory ever arrived.' },
  } as const,
});

export const Verdict = builder.enumType('Verdict', {
  description:
    "An agent's troubleshooting verdict: the first check of the vendor articles' troubleshooting flow that it fails, or HEALTHY. Computer.diagnosis shows every check.",
  values: Object.fromEntries(VERDICTS.map((v) => [v, { value: v, description: verdictDescription(v) }])) as Record<string, { value: string }>,
});
