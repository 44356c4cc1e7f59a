// local-ecr: an ECR-compatible endpoint over a real registry. The server arrives with its own issue.
export {};
