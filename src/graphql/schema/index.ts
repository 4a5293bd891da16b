import './enums.js';
import './computer.js';
import './network-zone.js';
import './gateway-assignment.js';
import './gateway.js';
import './cem-summary.js';
import './access-request.js';
import './relay.js';
import './agent-message.js';
import './inventory-status.js';
import './reporting.js';
import './agent-version.js';
import './diagnosis.js';
import { builder } from '../builder.js';

export const schema = builder.toSchema();
