-- gateway_assignments: every Internet Gateway assigned to a computer; [Current] marks the one in use.
SELECT
  gw.[_ResourceGuid] AS [ResourceGuid],
  gw.[Gateway] AS [Gateway],
  gw.[Port] AS [Port],
  gw.[Current] AS [Current],
  gw.[Last Success] AS [LastSuccess]
FROM Inv_AeX_AC_InternetGatewayDetails gw
