import { mapProblemToFieldErrors, ProblemAlert, SelectField, TextField } from '@ehrms/ui';
import { Button, Checkbox, Fieldset, FileInput, Group, SimpleGrid, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { documents } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { ClientDocument, DocumentCategory } from '../../api/types.js';
import { codeLabel } from '../../format.js';

const CATEGORIES: DocumentCategory[] = [
  'assessment',
  'consent_form',
  'id_card',
  'insurance_card',
  'court_order',
  'correspondence',
  'clinical_report',
  'other',
];

const LABELS = {
  title: 'Title',
  category: 'Category',
  documentDate: 'Dated',
  part2: '42 CFR Part 2 record',
  file: 'File',
};

/** What the server accepts, judged by content (it answers 415 naming what a file really is). */
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.tif,.tiff,.docx,.xlsx,.txt,.csv';

/**
 * Files a document on the client's record: what it is, the date it bears, whether it is a
 * 42 CFR Part 2 record, and the file (streamed to the server; refused there when too large or of a
 * type the agency does not keep, with nothing stored).
 */
export function UploadDocumentForm({
  clientId,
  onUploaded,
  onCancel,
}: {
  clientId: string;
  onUploaded: (document: ClientDocument) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<DocumentCategory>('correspondence');
  const [documentDate, setDocumentDate] = useState('');
  const [part2, setPart2] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [missingFile, setMissingFile] = useState(false);

  const upload = useMutation({
    mutationFn: (chosen: File) =>
      documents.upload(
        {
          title,
          category,
          clientId,
          part2: part2 ? 'true' : 'false',
          ...(documentDate ? { documentDate } : {}),
        },
        chosen,
      ),
    onSuccess: onUploaded,
  });
  const problem = problemOf(upload.error);
  const errors = mapProblemToFieldErrors(problem, Object.keys(LABELS));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissingFile(!file);
    if (file) upload.mutate(file);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Upload a document">
      <Fieldset legend="Upload a document" mb="md">
        <Stack gap="md">
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <TextField
              label="Title"
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={errors.title}
              maxLength={300}
              withAsterisk
            />
            <SelectField
              label="Category"
              value={category}
              onChange={(v) => setCategory((v ?? 'correspondence') as DocumentCategory)}
              data={CATEGORIES.map((c) => ({ value: c, label: codeLabel(c) }))}
              error={errors.category}
              withAsterisk
            />
            <TextField
              label="Dated"
              description="The date the document bears; today when left empty"
              type="date"
              value={documentDate}
              onChange={(e) => setDocumentDate(e.currentTarget.value)}
              error={errors.documentDate}
            />
          </SimpleGrid>
          <FileInput
            label="File"
            description="PDF, image, Word, Excel, text or CSV, up to 25 MB"
            placeholder="Choose a file"
            accept={ACCEPT}
            value={file}
            onChange={(f) => {
              setFile(f);
              setMissingFile(false);
            }}
            error={missingFile ? 'Choose the file to upload.' : errors.file}
            clearable
            clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
            withAsterisk
          />
          <Checkbox
            label="42 CFR Part 2 record (substance use disorder treatment): shown only with consent"
            checked={part2}
            onChange={(e) => setPart2(e.currentTarget.checked)}
            error={errors.part2}
          />
          <Group>
            <Button type="submit" loading={upload.isPending}>
              Upload
            </Button>
            <Button variant="default" onClick={onCancel} disabled={upload.isPending}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
