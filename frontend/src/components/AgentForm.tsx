import { useId, useState, type SubmitEvent } from "react";
import { HttpError, errorMessage, type FieldErrors } from "../api/client";
import { PROVIDERS, type NewAgent, type Provider } from "../api/types";
import { ErrorAlert } from "./ErrorAlert";

interface AgentFormProps {
  onSubmit: (agent: NewAgent) => Promise<unknown>;
}

const EMPTY: NewAgent = { name: "", provider: "anthropic", model: "", system_prompt: "" };

const MODEL_HINTS: Record<Provider, string> = {
  anthropic: "e.g. claude-sonnet-4-5",
  openai: "e.g. gpt-4o",
};

function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

export function AgentForm({ onSubmit }: AgentFormProps) {
  const id = useId();
  const [values, setValues] = useState<NewAgent>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  function update<K extends keyof NewAgent>(key: K, value: NewAgent[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setFieldErrors({});
    setFormError(null);
    try {
      await onSubmit({ ...values, name: values.name.trim(), model: values.model.trim() });
      setValues(EMPTY);
    } catch (error) {
      if (error instanceof HttpError) {
        setFieldErrors(error.status === 409 ? { name: error.message, ...error.fieldErrors } : error.fieldErrors);
      }
      setFormError(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  }

  function field(name: keyof NewAgent) {
    const error = fieldErrors[name];
    const errorId = `${id}-${name}-error`;
    return {
      control: {
        id: `${id}-${name}`,
        name,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": error ? errorId : undefined,
      },
      error: error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null,
    };
  }

  const name = field("name");
  const provider = field("provider");
  const model = field("model");
  const prompt = field("system_prompt");

  return (
    <form className="agent-form" aria-label="Create agent" onSubmit={(e) => void handleSubmit(e)}>
      <ErrorAlert message={formError} />
      <div className="field">
        <label htmlFor={name.control.id}>Name</label>
        <input
          {...name.control}
          type="text"
          required
          autoComplete="off"
          value={values.name}
          onChange={(e) => {
            update("name", e.target.value);
          }}
        />
        {name.error}
      </div>
      <div className="field">
        <label htmlFor={provider.control.id}>Provider</label>
        <select
          {...provider.control}
          value={values.provider}
          onChange={(e) => {
            if (isProvider(e.target.value)) update("provider", e.target.value);
          }}
        >
          {PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        {provider.error}
      </div>
      <div className="field">
        <label htmlFor={model.control.id}>Model</label>
        <input
          {...model.control}
          type="text"
          required
          autoComplete="off"
          placeholder={MODEL_HINTS[values.provider]}
          value={values.model}
          onChange={(e) => {
            update("model", e.target.value);
          }}
        />
        {model.error}
      </div>
      <div className="field">
        <label htmlFor={prompt.control.id}>System prompt</label>
        <textarea
          {...prompt.control}
          rows={4}
          value={values.system_prompt}
          onChange={(e) => {
            update("system_prompt", e.target.value);
          }}
        />
        {prompt.error}
      </div>
      <button type="submit" disabled={submitting}>
        {submitting ? "Creating…" : "Create agent"}
      </button>
    </form>
  );
}
