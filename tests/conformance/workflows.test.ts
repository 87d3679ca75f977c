import { createHostExecutor } from '@slipway/executor-host';
import { describeConformance } from './describe-conformance.js';

describeConformance('host', () => createHostExecutor());
