// Every workflow the worker registers. Workflows only orchestrate: all I/O lives in activities/.
export { generateCodesWorkflow, generationProgressQuery } from './generate-codes';
export { importCodesWorkflow, importProgressQuery } from './import-codes';
export { cancelCodeBatchWorkflow, cancelledCountQuery } from './cancel-code-batch';
export { expireReservationWorkflow } from './expire-reservation';
export { webhookSubscriptionWorkflow } from './deliver-webhooks';
export { campaignLifecycleWorkflow } from './campaign-lifecycle';
export { retentionWorkflow } from './retention';
export { distributeCodesWorkflow, distributionProgressQuery } from './distribute-codes';
