import { Alert } from 'antd';

/** Above a form: what went wrong that belongs to no single input (the first line is the headline). */
export function FormErrors({ errors, testId }: { errors: string[]; testId: string }) {
  if (errors.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={errors[0]}
      description={
        errors.length > 1 ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {errors.slice(1).map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        ) : undefined
      }
      data-testid={testId}
    />
  );
}
