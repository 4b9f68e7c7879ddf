/**
 * How the user spells each run setting where they set it: action inputs in a workflow, flags on
 * the command line. Hints name the spelling of the surface the user is on, never the other's.
 */
export interface SettingNames {
  from: string;
  to: string;
  images: string;
  config: string;
  environments: string;
  /** Prefix of messages about one `images` entry: `images` or `--image`. */
  imagesLabel: string;
  /** How one `images` entry is written in a hint: `images: app=1.2` or `--image app=1.2`. */
  imageEntry: (entry: string) => string;
}

export const ACTION_SETTING_NAMES: SettingNames = {
  from: "the input 'from'",
  to: "the input 'to'",
  images: "the input 'images'",
  config: "the input 'config'",
  environments: "the input 'environments'",
  imagesLabel: 'images',
  imageEntry: (entry) => `images: ${entry}`,
};

export const CLI_SETTING_NAMES: SettingNames = {
  from: '--from',
  to: '--to',
  images: '--image',
  config: '--config',
  environments: '--env',
  imagesLabel: '--image',
  imageEntry: (entry) => `--image ${entry}`,
};
