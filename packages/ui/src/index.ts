export {
  AppShellLayout,
  MAIN_CONTENT_ID,
  type AppShellLayoutProps,
  type ShellUser,
} from './AppShellLayout.js';
export { NavLinks, type NavLinksProps } from './NavLinks.js';
export { isActivePath, routedClick, type Navigate, type NavLinkItem } from './navigation.js';
export { DataTable, type DataTableColumn, type DataTableProps } from './DataTable.js';
export {
  MultiSelectField,
  PasswordField,
  SelectField,
  TextAreaField,
  TextField,
  type MultiSelectFieldProps,
  type PasswordFieldProps,
  type SelectFieldProps,
  type TextAreaFieldProps,
  type TextFieldProps,
} from './fields.js';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.js';
export { DescriptionList, type DescriptionItem, type DescriptionListProps } from './DescriptionList.js';
export { LoadingState } from './LoadingState.js';
export { SectionCard, type SectionCardProps } from './SectionCard.js';
export { StatusBadge, type StatusBadgeProps, type StatusTone } from './StatusBadge.js';
export { ProblemAlert, type ProblemAlertProps } from './ProblemAlert.js';
export { PageHeader, type PageHeaderProps } from './PageHeader.js';
export {
  isProblem,
  mapProblemToFieldErrors,
  problemKind,
  unmappedFieldErrors,
  type FieldErrors,
  type Problem,
  type ProblemFieldError,
} from './problem.js';
export { ehrmsCssVariables, ehrmsTheme } from './theme.js';
