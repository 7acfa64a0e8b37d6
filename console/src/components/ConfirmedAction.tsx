import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

/**
 * A destructive action behind a Mantine dialog instead of the browser's `confirm`/`prompt`: a labelled dialog
 * (focus moves into it and stays there, Escape or "Keep" closes it, focus returns to the button), optionally asking
 * for the reason the API records. Focus starts on the reason, or on "Keep" so Enter alone never destroys anything.
 */
export function ConfirmedAction({
  label,
  title,
  children,
  confirmLabel,
  reason,
  onConfirm,
  variant = 'subtle',
}: {
  /** The button that opens the dialog. */
  label: string;
  /** The dialog's title: the question ("Cancel code ABC?"). */
  title: string;
  /** What happens, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** Asks for a reason (required), starting from this text. */
  reason?: { label: string; initial: string };
  onConfirm: (reason: string) => void;
  variant?: 'subtle' | 'light';
}) {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState('');
  const open = () => {
    setText(reason?.initial ?? '');
    setOpened(true);
  };
  const confirm = () => {
    setOpened(false);
    onConfirm(text.trim());
  };
  return (
    <>
      <Button size="xs" variant={variant} color="red" onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={title}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason || text.trim()) confirm();
          }}
        >
          <Stack>
            <Text size="sm">{children}</Text>
            {reason && (
              <TextInput label={reason.label} value={text} onChange={(e) => setText(e.currentTarget.value)} required data-autofocus />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)} data-autofocus={reason ? undefined : true}>
                Keep
              </Button>
              <Button type="submit" color="red" disabled={Boolean(reason) && !text.trim()}>
                {confirmLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
