import { predict } from './services/predictor';
export const handler = async (event: { body: string }) => {
  try {
    return { statusCode: 200, body: JSON.stringify(await predict(event.body)) };
  } catch (e) {
    return { statusCode: 502, body: 'upstream error' };
  }
};
