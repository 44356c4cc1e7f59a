// Public entry of the plugin. Graph inference (createNodes / createDependencies) is exported from here.
export {};
