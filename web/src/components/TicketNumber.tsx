/** Ticket numbers are identifiers: always left-to-right, even inside Persian text. */
export function TicketNumber({ value, testId }: { value: string; testId?: string }) {
  return (
    <bdi className="ticket-number" dir="ltr" data-testid={testId}>
      {value}
    </bdi>
  );
}
