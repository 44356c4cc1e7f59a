// The two error shapes local-ecr answers with: ECR API exceptions (JSON 1.1 `__type`) and registry API errors.

/** An ECR API exception: `name` becomes the `__type` the AWS SDK turns into its exception class. */
export class EcrError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** A distribution registry error (`{"errors":[{code,message,detail}]}`), as ECR's registry endpoint sends them. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  body(): string {
    return JSON.stringify({ errors: [{ code: this.code, message: this.message, detail: null }] });
  }
}

export const repositoryNotFound = (name: string, accountId: string) =>
  new EcrError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${accountId}'`);

export const invalidParameter = (message: string) => new EcrError('InvalidParameterException', message);
