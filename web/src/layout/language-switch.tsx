import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../i18n/i18n';

/** One button that flips between 中文 and English; its label names the language it switches to. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage();
  return (
    <Button
      data-testid="lang-switch"
      data-lang={i18n.language}
      icon={<GlobalOutlined />}
      title={t('header.switchLanguageTitle')}
      onClick={() => void changeLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('header.switchLanguage')}
    </Button>
  );
}
