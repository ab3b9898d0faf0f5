import {
  MultiSelect,
  PasswordInput,
  Select,
  Textarea,
  TextInput,
  type MultiSelectProps,
  type PasswordInputProps,
  type SelectProps,
  type TextareaProps,
  type TextInputProps,
} from '@mantine/core';

/*
 * Form fields with one convention: `label` is required (no placeholder-only fields), and `error`
 * takes the field's message. Mantine renders the message below the input, links it with
 * `aria-describedby`, and sets `aria-invalid`; the message text itself carries the meaning, not
 * only the red colour.
 */

type Labelled<P> = Omit<P, 'label' | 'error'> & {
  label: string;
  error?: string | undefined;
};

export type TextFieldProps = Labelled<TextInputProps>;
export type PasswordFieldProps = Labelled<PasswordInputProps>;
export type SelectFieldProps = Labelled<SelectProps>;
export type MultiSelectFieldProps = Labelled<MultiSelectProps>;
export type TextAreaFieldProps = Labelled<TextareaProps>;

export function TextField({ error, ...props }: TextFieldProps) {
  return <TextInput {...props} error={error} />;
}

export function PasswordField({ error, ...props }: PasswordFieldProps) {
  return (
    <PasswordInput
      {...props}
      error={error}
      // Mantine's PasswordInput does not mark its input invalid as TextInput does.
      aria-invalid={error ? true : undefined}
      // Reachable by keyboard too, not only by pointer.
      visibilityToggleFocusable
      visibilityToggleButtonProps={{ 'aria-label': `Show ${props.label.toLowerCase()}` }}
    />
  );
}

export function SelectField({ error, ...props }: SelectFieldProps) {
  return <Select allowDeselect={false} {...props} error={error} />;
}

export function MultiSelectField({ error, ...props }: MultiSelectFieldProps) {
  return <MultiSelect {...props} error={error} />;
}

export function TextAreaField({ error, ...props }: TextAreaFieldProps) {
  return <Textarea autosize minRows={4} {...props} error={error} />;
}
