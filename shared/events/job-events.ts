/** The jobs' own plumbing on the bus (not domain events): a run continuing itself. */
export const JOB_EVENT_SOURCE = 'loyalty.club.jobs';
export const JOB_CONTINUE_DETAIL_TYPE = 'job.continue';
