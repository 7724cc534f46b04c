import { App, Form, Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { handled } from '../../core/antd/awaited-by-antd';
import { useErrorText } from '../../core/errors/error-result';
import { markFieldErrors } from './form-errors';
import { NS } from './texts';

/**
 * The admin pages' create / edit dialog: a vertical form in a modal whose OK submits it; while `onSubmit` runs the
 * OK button spins; a refusal from the server is shown under the fields it names (form-errors.ts), else as a message.
 * `onSubmit` resolves when saved (the caller closes the dialog) and throws the API's error otherwise.
 */
export function FormModal<V extends object>({
  name,
  form,
  title,
  okText,
  width,
  saving,
  initialValues,
  onSubmit,
  onClose,
  children,
}: {
  name: string;
  form: FormInstance<V>;
  title: ReactNode;
  okText?: string;
  width?: number;
  saving: boolean;
  initialValues?: Partial<V>;
  onSubmit: (values: V) => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const errorText = useErrorText();
  return (
    <Modal
      open
      width={width}
      title={title}
      okText={okText ?? t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<V>
        name={name}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={handled(async (values) => {
          try {
            await onSubmit(values);
          } catch (e) {
            if (!markFieldErrors(form, e)) void message.error(errorText(e));
          }
        })}
      >
        {children}
      </Form>
    </Modal>
  );
}
