// The metric contract: every name and label the exporter writes, and that the alert rules, the
// Grafana dashboards and users' own queries read. Import from here; never spell a metric name again.
// Labels carry bounded infrastructure names only (gateway, core, relay, component), never a computer.

export const PREFIX = 'gatewatch_';

export const M = {
  computers: 'gatewatch_computers',
  cemConfigured: 'gatewatch_computers_cem_configured',
  cemPolicyApplied: 'gatewatch_computers_cem_policy_applied',
  gatewayAssignedComputers: 'gatewatch_gateway_assigned_computers',
  /** Computers whose gateway list (Inv_AeX_AC_InternetGatewayDetails) names the gateway, current or not. */
  gatewayListedComputers: 'gatewatch_gateway_listed_computers',
  gatewayInfo: 'gatewatch_gateway_info',
  gatewayOnline: 'gatewatch_gateway_online',
  gatewayRegistered: 'gatewatch_gateway_registered',
  gatewayTroubleshootingMode: 'gatewatch_gateway_troubleshooting_mode',
  gatewayEphemeralAuthEnabled: 'gatewatch_gateway_ephemeral_auth_enabled',
  gatewayConnections: 'gatewatch_gateway_connections',
  gatewayBrokerConnections: 'gatewatch_gateway_broker_connections',
  gatewayAuthFailures: 'gatewatch_gateway_auth_failures_total',
  gatewayDenials: 'gatewatch_gateway_denials_total',
  /** Access Troubleshooting list entries by status (pending, approved, blocked): every request, not only blocked ones. */
  accessRequests: 'gatewatch_access_requests',
  /** DEPRECATED: the same series as accessRequests under its old name, served for one release (DEPRECATED below). */
  blockedAgentsDeprecated: 'gatewatch_blocked_agents',
  accessRequestOldestPending: 'gatewatch_access_request_oldest_pending_timestamp_seconds',
  relayUp: 'gatewatch_relay_up',
  relayLastPing: 'gatewatch_relay_last_ping_timestamp_seconds',
  relayCacheFreeBytes: 'gatewatch_relay_cache_free_bytes',
  relayCacheFolderValid: 'gatewatch_relay_cache_folder_valid',
  relayHttpServerErrors: 'gatewatch_relay_http_server_errors',
  relayClients: 'gatewatch_relay_clients',
  agentMessages: 'gatewatch_agent_messages',
  agents: 'gatewatch_agents',
  gatewaySilentAgents: 'gatewatch_gateway_silent_agents',
  agentsByVersion: 'gatewatch_agents_by_version',
  agentsByVerdict: 'gatewatch_agents_by_verdict',
  up: 'gatewatch_up',
  collectorDuration: 'gatewatch_collector_duration_seconds',
  collectorSuccess: 'gatewatch_collector_success',
  collectorLastSuccess: 'gatewatch_collector_last_success_timestamp_seconds',
  buildInfo: 'gatewatch_build_info',
  graphqlRequests: 'gatewatch_graphql_requests_total',
  graphqlRequestDuration: 'gatewatch_graphql_request_duration_seconds',
  // Ivanti BrokerService.log (src/csa): rows the core's broker service wrote, per CSA.
  csaBrokeredRequests: 'gatewatch_csa_brokered_requests_total',
  csaDevicesLastHour: 'gatewatch_csa_devices_last_hour',
  csaLastRequest: 'gatewatch_csa_last_request_timestamp_seconds',
  csaLogRejectedLines: 'gatewatch_csa_log_rejected_lines_total',
  csaLogBytesRead: 'gatewatch_csa_log_bytes_read_total',
  csaLogFiles: 'gatewatch_csa_log_files',
  csaLogUp: 'gatewatch_csa_log_up',
} as const;

export type MetricName = (typeof M)[keyof typeof M];

/**
 * Old names still served beside their replacement, each family's HELP saying which to use; removed in
 * the release after. Alerts and dashboards read the replacement only.
 */
export const DEPRECATED: Readonly<Partial<Record<MetricName, MetricName>>> = {
  [M.blockedAgentsDeprecated]: M.accessRequests,
};

/**
 * The process metrics prom-client's collectDefaultMetrics exports on gatewatch's registry, under their
 * standard names (no gatewatch_ prefix: every Node exporter's dashboards and alerts know them).
 */
export const PROCESS = {
  cpuSeconds: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
  startTime: 'process_start_time_seconds',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  eventLoopLagP50: 'nodejs_eventloop_lag_p50_seconds',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

/**
 * From blackbox_exporter, which probes the gateways /sd/gateways lists (deploy/blackbox/blackbox.yml,
 * module BLACKBOX_MODULE): not gatewatch's own families, so no gatewatch_ prefix. Each series carries
 * the `gateway` label the scrape job copies from the SD target, the one the exporter's families use.
 */
export const BLACKBOX = {
  /** 1 when the TCP connection and the TLS handshake succeeded. */
  success: 'probe_success',
  /**
   * The whole probe in seconds: name look-up, TCP connect and TLS handshake (the tcp prober dials with
   * TLS in one step and times no phase of its own): the handshake time the NOC sees.
   */
  duration: 'probe_duration_seconds',
  /** When the first certificate of the chain the gateway presents expires (Unix seconds). */
  certExpiry: 'probe_ssl_earliest_cert_expiry',
  /** The TLS version negotiated, as label `version`; always 1. */
  tlsVersion: 'probe_tls_version_info',
} as const;

/** The blackbox_exporter module that probes gateways, and the Prometheus job that scrapes it. */
export const BLACKBOX_MODULE = 'gateway_tls';
export const BLACKBOX_JOB = 'gateway-probes';

/**
 * prom-client default gauges misnamed *_total, left out of the exposition: `sum(nodejs_active_handles)`
 * (and _requests, _resources), which prom-client exports by type, counts the same.
 */
export const PROCESS_TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Label names, so a selector in a rule or a panel is spelled once. */
export const L = {
  connectivity: 'connectivity',
  auth: 'auth',
  transport: 'transport',
  gateway: 'gateway',
  version: 'version',
  level: 'level',
  core: 'core',
  reason: 'reason',
  status: 'status',
  relay: 'relay',
  component: 'component',
  severity: 'severity',
  collector: 'collector',
  operation: 'operation',
  state: 'state',
  verdict: 'verdict',
  csa: 'csa',
  feature: 'feature',
} as const;

/** Every value an enumerated label can take: each is exported at 0 so series never come and go. */
export const VALUES = {
  connectivity: ['internet', 'lan'],
  auth: ['permanent', 'ephemeral', 'both', 'none'],
  transport: ['https', 'http'],
  level: ['broker', 'client', 'admin', 'console', 'unprivileged'],
  reason: ['registration_not_found', 'time_skew', 'version_mismatch', 'gateway_not_registered', 'blocked'],
  status: ['pending', 'approved', 'blocked'],
  severity: ['error', 'warning'],
  /** Agent reporting states (src/inventory/liveness.ts); `silent` are the ones not reporting. */
  state: ['reporting', 'late', 'inactive', 'never'],
  silent: ['late', 'inactive', 'never'],
  /** One collector per dataset it reads; the gatewatch_collector_* families carry every one. */
  collector: [
    'gateways',
    'computers_by_state',
    'cem_summary',
    'computers_by_gateway',
    'gateway_endpoints',
    'gateway_connections',
    'broker_connections',
    'denials',
    'access_requests_by_status',
    'relays',
    'agent_messages_by_component',
    'computers_by_reporting',
    'computers_by_gateway_reporting',
    'agent_versions',
    'diagnosis_facts',
  ],
} as const;

/** Why a BrokerService.log line was not counted as a request (the `reason` of gatewatch_csa_log_rejected_lines_total). */
export const CSA_REJECT_REASONS = ['bad_encoding', 'bad_columns', 'bad_date', 'bad_field', 'too_long', 'incomplete', 'too_many_series'] as const;

/** The `status` values of gatewatch_graphql_requests_total (not the access-request statuses above). */
export const GRAPHQL_STATUS = ['ok', 'error'] as const;

export type LabelName = (typeof L)[keyof typeof L];
export type CollectorName = (typeof VALUES.collector)[number];

/** Thresholds the vendor articles name (src/articles.ts); alerts and dashboards read them from here. */
export const THRESHOLDS = {
  /** Broker service connections a core should hold to each gateway (Ivanti's CSA troubleshooting guide). */
  minBrokerConnectionsPerCore: 5,
  /** Free space the relay cache drive needs (GFI LanGuard's agent communications article: "at least 2GB"). */
  relayCacheMinFreeBytes: 2 * 1024 ** 3,
  /** The server pings each relay every 20 minutes (GFI LanGuard's agent communications article). */
  relayPingIntervalSeconds: 20 * 60,
  /** Default liveness cutoffs (--late-after-hours, --inactive-after-days): an agent whose last
   * inventory is older than this is LATE, then INACTIVE; one with none at all is NEVER. */
  reportingLateAfterHours: 24,
  reportingInactiveAfterDays: 7,
  /** Ephemeral certificates need the agent and the gateway at this version or later (Broadcom's ITMS 8.8.1 article, Scope). */
  ephemeralMinVersion: '8.8.1',
} as const;
