import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { ReactNode, useEffect, useRef, useState } from 'react';

/** How long typing waits before options are looked up. */
const OPTIONS_DEBOUNCE_MS = 250;

/** Props of {@link BrowseFilterField}. */
export interface BrowseFilterFieldProps {
  label: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  /**
   * Suggestions for what was typed so far; called when the field opens and
   * as the user types. Anything typed is accepted, suggested or not.
   */
  loadOptions: (input: string) => Promise<string[]>;
  renderOption?: (option: string) => ReactNode;
  className?: string;
}

/** A filter that takes any text and suggests values from the catalog. */
export const BrowseFilterField = (props: BrowseFilterFieldProps) => {
  const { label, value, onChange, loadOptions, renderOption, className } =
    props;
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState(value ?? '');
  const [options, setOptions] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  useEffect(() => setInput(value ?? ''), [value]);

  useEffect(() => {
    if (!open) {
      return undefined;
    }
    const request = ++latest.current;
    setLoading(true);
    const timer = setTimeout(() => {
      loadOptions(input.trim())
        .then(found => request === latest.current && setOptions(found))
        // Suggestions are a convenience; typing a value still works.
        .catch(() => request === latest.current && setOptions([]))
        .finally(() => request === latest.current && setLoading(false));
    }, OPTIONS_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [open, input, loadOptions]);

  return (
    <Autocomplete
      className={className}
      freeSolo
      autoSelect
      size="small"
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => setOpen(false)}
      options={options}
      loading={loading}
      filterOptions={all => all}
      value={value ?? null}
      inputValue={input}
      onInputChange={(_event, next) => setInput(next)}
      onChange={(_event, next) => {
        const trimmed = typeof next === 'string' ? next.trim() : '';
        if (trimmed !== (value ?? '')) {
          onChange(trimmed || undefined);
        }
      }}
      renderOption={renderOption}
      renderInput={params => (
        <TextField {...params} label={label} variant="outlined" />
      )}
    />
  );
};
