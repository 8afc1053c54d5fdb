import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/index.ts';

describe('detectLanguage', () => {
  it.each([
    [
      'en',
      'The council approved the budget on Tuesday after a debate that lasted well into the night, and the opposition said that the plan was a mistake for the city and its schools.',
    ],
    [
      'fr',
      'Le conseil municipal a adopté le budget mardi après un débat qui a duré toute la nuit, et l’opposition a dit que le plan est une erreur pour la ville et pour les écoles.',
    ],
    [
      'es',
      'El consejo aprobó el presupuesto el martes después de un debate que duró toda la noche, y la oposición dijo que el plan es un error para la ciudad y para las escuelas.',
    ],
    [
      'pt',
      'O conselho aprovou o orçamento na terça-feira depois de um debate que durou toda a noite, e a oposição disse que o plano é um erro para a cidade e para as escolas.',
    ],
    [
      'ru',
      'Городской совет утвердил бюджет во вторник после дебатов, которые длились всю ночь, и оппозиция заявила, что этот план является ошибкой для города и для школ.',
    ],
    [
      'ar',
      'وافق المجلس البلدي على الميزانية يوم الثلاثاء بعد نقاش استمر طوال الليل، وقالت المعارضة إن الخطة خطأ بالنسبة للمدينة والمدارس في المنطقة كلها.',
    ],
    [
      'fa',
      'دولت روز چهارشنبه بسته جدیدی از اقدامات اقتصادی را برای حمایت از کسب و کارهای کوچک اعلام کرد. مخالفان این بسته را ناکافی دانستند.',
    ],
    [
      'ur',
      'حکومت نے بدھ کے روز چھوٹے کاروباروں کی مدد کے لیے ایک نئے معاشی پیکج کا اعلان کیا ہے۔ اپوزیشن نے اس پیکج کو ناکافی قرار دیا۔',
    ],
    [
      'zh',
      '市议会周二在持续了一整夜的辩论之后批准了预算，反对派表示该计划对城市和学校来说是一个错误，他们将继续反对这项计划。',
    ],
  ])('%s', (language, text) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('says nothing about text too short to tell', () => {
    expect(detectLanguage('Breaking news')).toBeNull();
  });
});
