interface PaginationProps {
  total: number;
  limit: number;
  offset: number;
  disabled?: boolean;
  onChange: (offset: number) => void;
}

export function Pagination({ total, limit, offset, disabled = false, onChange }: PaginationProps) {
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label="Agent pages">
      <button
        type="button"
        disabled={disabled || offset <= 0}
        onClick={() => {
          onChange(Math.max(0, offset - limit));
        }}
      >
        Previous
      </button>
      <span data-testid="page-info">
        Page {page} of {pages} · {first}–{last} of {total}
      </span>
      <button
        type="button"
        disabled={disabled || offset + limit >= total}
        onClick={() => {
          onChange(offset + limit);
        }}
      >
        Next
      </button>
    </nav>
  );
}
