import { StatusBadge, type StatusTone } from '@ehrms/ui';
import type { Case, CaseNote } from '../../api/types.js';

export const CASES_KEY = ['cases'] as const;
export const notesKey = (caseId: string) => [...CASES_KEY, caseId, 'notes'] as const;

export const CASE_TYPE_LABELS: Record<Case['type'], string> = {
  intake: 'Intake',
  ongoing: 'Ongoing',
  crisis: 'Crisis',
  protective: 'Protective services',
  ltc: 'Long-term care',
};

const RISK: Record<Case['riskLevel'], { tone: StatusTone; label: string }> = {
  low: { tone: 'success', label: 'Low risk' },
  moderate: { tone: 'warning', label: 'Moderate risk' },
  high: { tone: 'danger', label: 'High risk' },
  critical: { tone: 'danger', label: 'Critical risk' },
};

const STATUS: Record<Case['status'], { tone: StatusTone; label: string }> = {
  open: { tone: 'success', label: 'Open' },
  pending_closure: { tone: 'warning', label: 'Closing' },
  closed: { tone: 'neutral', label: 'Closed' },
};

export function RiskBadge({ risk }: { risk: Case['riskLevel'] }) {
  return <StatusBadge tone={RISK[risk].tone}>{RISK[risk].label}</StatusBadge>;
}

export function CaseStatusBadge({ status }: { status: Case['status'] }) {
  return <StatusBadge tone={STATUS[status].tone}>{STATUS[status].label}</StatusBadge>;
}

export const NOTE_TYPE_LABELS: Record<CaseNote['noteType'], string> = {
  contact: 'Contact',
  progress: 'Progress',
  phone: 'Phone call',
  collateral: 'Collateral contact',
  supervision: 'Supervision',
};

export const RISK_OPTIONS = Object.entries(RISK).map(([value, { label }]) => ({ value, label }));
export const CASE_TYPE_OPTIONS = Object.entries(CASE_TYPE_LABELS).map(([value, label]) => ({ value, label }));
