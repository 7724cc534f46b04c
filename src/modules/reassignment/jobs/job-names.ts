export const COMPLETE_HANDOVER = 'reassignment.complete-handover';
export const SWEEP_DUE_TRANSFERS = 'reassignment.sweep-due-transfers';
export const REASSIGNMENT_JOBS = [COMPLETE_HANDOVER, SWEEP_DUE_TRANSFERS];
