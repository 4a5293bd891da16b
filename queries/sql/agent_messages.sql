-- agent_messages: messages agents and relays currently post (toolcfg_agentmessages.xml, GFI LanGuard agent communications article).
-- [Type]: 0 = error, 1 = warning. [Priority]: 0 is the lowest.
SELECT
  m.[Id] AS [Id],
  m.[MessageTypeId] AS [MessageTypeId],
  m.[Component] AS [Component],
  m.[Priority] AS [Priority],
  m.[Type] AS [Type],
  m.[Computer] AS [Computer],
  m.[Text] AS [Text],
  m.[RaisedAt] AS [RaisedAt]
FROM gatewatch_AgentMessage m
WHERE (@component IS NULL OR m.[Component] = @component)
  AND (@type IS NULL OR m.[Type] = @type)
  AND (@computer IS NULL OR m.[Computer] = @computer)
  AND (@since IS NULL OR m.[RaisedAt] >= @since)
