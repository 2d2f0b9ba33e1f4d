import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the native <dialog> element: showModal() makes the page inert, moves focus
 * in and Escape closes it; focus goes back to the element that opened it.
 */
export function Modal({
  open,
  title,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onNativeClose = () => {
      // back to the opener; if it is gone (e.g. "Resolve" after resolving), to the page heading
      const target = opener.current instanceof HTMLElement && opener.current.isConnected ? opener.current : document.querySelector<HTMLElement>('main h1');
      if (target) {
        if (target.tagName === 'H1') target.tabIndex = -1;
        target.focus();
      }
      opener.current = null;
      onClose();
    };
    dialog.addEventListener('close', onNativeClose);
    return () => dialog.removeEventListener('close', onNativeClose);
  }, [onClose]);

  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} data-testid={testId}>
      <h2 id={titleId} className="modal__title">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
