interface ErrorAlertProps {
  message: string | null;
  onDismiss?: () => void;
}

/** A live region that is only rendered when there is something to say. */
export function ErrorAlert({ message, onDismiss }: ErrorAlertProps) {
  if (!message) return null;
  return (
    <div className="alert" role="alert">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
