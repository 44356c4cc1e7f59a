import { ecrFaultAnswer, registryFaultAnswer, stsFaultAnswer } from './fault-answers';

const where = { accountId: '000000000000', region: 'eu-west-1', action: 'PutImage', repository: 'team/app' };

describe('injected errors in each protocol shape', () => {
  test.each([
    [
      'ThrottlingException',
      400,
      'com.amazon.coral.availability#ThrottlingException',
      'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/',
    ],
    [
      'AccessDeniedException',
      400,
      'com.amazon.coral.service#AccessDeniedException',
      'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    ],
    ['ServerException', 500, 'ServerException', 'ServerException:'],
    ['LimitExceededException', 400, 'LimitExceededException', 'LimitExceededException:'],
  ])('ECR JSON 1.1: %s is HTTP %i with __type %s and x-amzn-ErrorType', (code, status, type, errorType) => {
    const answer = ecrFaultAnswer(code, undefined, where);
    expect(answer).toMatchObject({ status, headers: { 'x-amzn-errortype': errorType, 'content-type': 'application/x-amz-json-1.1' } });
    expect(JSON.parse(answer.body)).toMatchObject({ __type: type });
  });

  it('names the caller, the action and the repository in AccessDeniedException, as IAM does', () => {
    expect(JSON.parse(ecrFaultAnswer('AccessDeniedException', undefined, where).body).Message).toBe(
      'User: arn:aws:iam::000000000000:user/local-ecr is not authorized to perform: ecr:PutImage on resource: ' +
        'arn:aws:ecr:eu-west-1:000000000000:repository/team/app because no identity-based policy allows the ecr:PutImage action',
    );
  });

  test.each([
    ['ThrottlingException', 400, 'Sender', 'Throttling'],
    ['AccessDeniedException', 403, 'Sender', 'AccessDenied'],
    ['ServerException', 500, 'Receiver', 'InternalFailure'],
  ])('STS query XML: %s becomes HTTP %i %s %s', (code, status, type, stsCode) => {
    const answer = stsFaultAnswer(code, 'a <message> & more', { ...where, action: 'GetCallerIdentity' });
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(`<Type>${type}</Type><Code>${stsCode}</Code><Message>a &#60;message&#62; &#38; more</Message>`);
  });

  test.each([
    ['ThrottlingException', 429, 'TOOMANYREQUESTS'],
    ['AccessDeniedException', 403, 'DENIED'],
    ['ServerException', 500, 'UNKNOWN'],
  ])('registry API: %s is HTTP %i %s', (code, status, registryCode) => {
    const answer = registryFaultAnswer(code, undefined, where);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ code: registryCode, message: expect.any(String), detail: null }] });
  });
});
